using System.Runtime.InteropServices;
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
var withContext = instance.SeedContactContexts(3);
Console.WriteLine($"Fake Insightly listening; Insightly__BaseUrlTemplate={server.BaseUrlTemplate}");
Console.WriteLine($"Demo API key for pod na1: {key}");
Console.WriteLine($"Contacts with opportunities, a project, tasks and notes: {string.Join(", ", withContext)}");
// Ctrl-C or SIGTERM ends the program. The web host inside handles both signals by stopping itself and keeping
// the process alive until Main returns, so Main has to hear them too.
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
