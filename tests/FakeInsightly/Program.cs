using FakeInsightly;

// A fake Insightly for trying the API locally without a real account:
//   dotnet run --project tests/FakeInsightly -- 7080
// then start the API with Insightly__BaseUrlTemplate set to the template printed below. It holds demo
// pipelines, lead statuses, custom fields, organisations and contacts (see README.md beside this file).
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 7080;
await using var server = await FakeInsightlyServer.StartAsync(port);
var instance = server.AddInstance("na1", "demo");
var key = server.AddUser(instance, "Ada", "Lovelace", "ada@example.com");
instance.SeedStandardData();
instance.SeedOrganisations(8);
instance.SeedContacts(40);
Console.WriteLine($"Fake Insightly listening; Insightly__BaseUrlTemplate={server.BaseUrlTemplate}");
Console.WriteLine($"Demo API key for pod na1: {key}");
await Task.Delay(Timeout.Infinite);
