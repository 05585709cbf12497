using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FakeInsightly;

namespace Insightly.Unified.Benchmarks;

/// <summary>Realistic Insightly answers, taken once from the test suite's fake Insightly over HTTP.</summary>
internal static class Fixtures
{
    public static (byte[] Contacts, byte[] CustomFields) CaptureContacts(int count)
    {
        return Task.Run(async () =>
        {
            await using var server = await FakeInsightlyServer.StartAsync();
            var instance = server.AddInstance("na1", "bench");
            instance.RequestsPerSecond = int.MaxValue;
            var key = server.AddUser(instance, "Bench", "User", "bench@example.com");
            instance.SeedStandardData();
            instance.SeedOrganisations(20);
            instance.SeedContacts(count);
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrlTemplate.Replace("{pod}", "na1", StringComparison.Ordinal)) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
            return (await http.GetByteArrayAsync($"Contacts?top={count}"), await http.GetByteArrayAsync("CustomFields/Contacts"));
        }).GetAwaiter().GetResult();
    }

    public static JsonDocument Parse(byte[] json) => JsonDocument.Parse(json);
}
