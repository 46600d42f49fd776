namespace Hxi.Fuzz;

/// <summary>Feeds one input to a decoder; returns normally for accepted input and for the decoder's own protocol errors.</summary>
/// <remarks>Anything that escapes is a crash: the decoder let hostile bytes reach an internal error.</remarks>
public delegate void FuzzRun(ReadOnlySpan<byte> input);

/// <summary>One fuzz target: a decoder, how to feed it, and the valid inputs its corpus starts from.</summary>
/// <param name="Name">The command-line name, also the corpus folder (fuzz/corpus/NAME).</param>
/// <param name="Decoder">What is fuzzed, for the README and the run summary.</param>
/// <param name="Run">The target proper.</param>
/// <param name="Seeds">Valid inputs built with the codecs' own writers and the RFC vectors.</param>
/// <param name="SmokeIterations">Executions in the test suite's smoke run: fewer for the slow targets, to keep it to a few seconds.</param>
public sealed record FuzzTarget(string Name, string Decoder, FuzzRun Run, Func<IEnumerable<byte[]>> Seeds, int SmokeIterations = 1000);
