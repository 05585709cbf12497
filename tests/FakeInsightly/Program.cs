using FakeInsightly;

// A fake Insightly for trying the API locally without a real account:
//   dotnet run --project tests/FakeInsightly -- 7080
// then start the API with Insightly__BaseUrlTemplate set to the template printed below.
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 7080;
await using var server = await FakeInsightlyServer.StartAsync(port);
var instance = server.AddInstance("na1", "demo");
var key = server.AddUser(instance, "Ada", "Lovelace", "ada@example.com");
Console.WriteLine($"Fake Insightly listening; Insightly__BaseUrlTemplate={server.BaseUrlTemplate}");
Console.WriteLine($"Demo API key for pod na1: {key}");
await Task.Delay(Timeout.Infinite);
