using Microsoft.AspNetCore.Http;

namespace Hxi.Server.Http3;

/// <summary>
/// The ASP.NET Core request pipeline HTTP/3 requests run through: the same <see cref="RequestDelegate"/> Kestrel runs
/// for HTTP/1.1 and HTTP/2, so there is one route table and no second hop.
/// </summary>
internal sealed record Http3Application(RequestDelegate Pipeline, IServiceProvider Services);
