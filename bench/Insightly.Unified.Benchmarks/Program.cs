using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Insightly.Unified.Benchmarks.MappingBenchmarks).Assembly).Run(args);
