using Insightly.Unified.LocalHost;

var app = LocalFunctionsHost.Create(args);
await app.RunAsync();
