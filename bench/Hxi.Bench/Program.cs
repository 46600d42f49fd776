using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Hxi.Bench -- --filter '*'` runs them all; see bench/README.md for the short mode.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
