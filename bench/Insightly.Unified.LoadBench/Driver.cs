using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Insightly.Unified.LoadBench;

/// <summary>
/// One benchmark run, all on loopback: the fast fake Insightly, the local host (Release, its own process) in front of
/// it, and the YARP peer, driven by wrk; then the memory runs against the same host, and the quota and storage
/// counts against a host in this process, read from its own meter. Prints a Markdown report (and writes it to
/// <c>--out</c>).
/// </summary>
public static partial class Driver
{
    private const int Accounts = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        await using var processes = new ChildProcesses();
        var runId = "bench" + Guid.NewGuid().ToString("N")[..8];
        var work = Directory.CreateTempSubdirectory("insightly-bench-");
        try
        {
            var load = Load();
            Say($"# Benchmark run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Say("");
            Say($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average before: {load}.");
            Say($"Command: `{options.Command}`; wrk {options.Duration} s per cell after a {options.Warmup} s warm-up, concurrency 1 (1 thread) and 32 (2 threads); " +
                $"(b) and (e) alternate over {options.Rounds} rounds and show their median round.");
            Say("");

            // The fake Insightly, then the host in front of it, then the YARP peer.
            var fakePort = FreePort();
            var keysFile = Path.Combine(work.FullName, "keys.txt");
            var fake = processes.Start("fake", "dotnet", [options.BenchDll, "fake", fakePort.ToString(CultureInfo.InvariantCulture), Accounts.ToString(CultureInfo.InvariantCulture), keysFile], work.FullName, []);
            var fakeBase = $"http://127.0.0.1:{fakePort}/na1/v3.1/";
            await WaitForAsync(() => File.Exists(keysFile) && File.ReadAllLines(keysFile).Length == Accounts, "the fake's keys");
            var keys = await File.ReadAllLinesAsync(keysFile);
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(keys[0] + ":"));

            var hostPort = FreePort();
            var hostSettings = HostSettings(runId, $"http://127.0.0.1:{fakePort}/{{pod}}/v3.1/");
            hostSettings["urls"] = $"http://127.0.0.1:{hostPort}";
            var host = processes.Start("host", "dotnet", [options.HostDll], work.FullName, hostSettings.Select(s => (s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value)).ToList());
            var api = $"http://127.0.0.1:{hostPort}/api/";
            await WaitForHttpAsync(api + "health", process: host);

            var yarpPort = FreePort();
            var yarpProcess = processes.Start("yarp", "dotnet", [options.BenchDll, "yarp", yarpPort.ToString(CultureInfo.InvariantCulture), fakeBase, keys[0]], work.FullName, []);
            var yarp = $"http://127.0.0.1:{yarpPort}/";
            await WaitForHttpAsync(yarp + "Contacts?top=1", expectSuccess: true);

            using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(5) };
            var ids = await LinkAsync(http, keys);
            var recordId = await WarmAsync(http, ids);
            var lua = Path.Combine(work.FullName, "rotate.lua");

            // The load cells.
            Say("## Load (wrk, loopback)");
            Say("");
            Say($"(a) the fake directly; (b) the proxy `GET /Contacts?top=100`; (c) the unified contacts list, `limit=100`; (d) a unified get by id; (e) YARP passthrough. (b)–(d) rotate over {Accounts} linked accounts; (a′) the fake's `GET /Contacts/{{id}}`, the upstream call of (d).");
            Say("");
            Say("| cell | concurrency | p50 | p99 | requests/s | server CPU per request | non-2xx | load after |");
            Say("|---|---:|---:|---:|---:|---:|---:|---:|");
            var cells = new Dictionary<(string, int), WrkResult>();
            foreach (var concurrency in new[] { 1, 32 })
            {
                // The proxy and YARP, the comparison that matters most, alternate over several rounds; each reports its median round.
                var proxyRounds = new List<WrkResult>();
                var peerRounds = new List<WrkResult>();
                for (var round = 0; round < options.Rounds; round++)
                {
                    proxyRounds.Add(await Wrk.RunAsync(api, concurrency, options.Timing, [], Rotate(lua, ids, "/api/proxy/Contacts?top=100&integrated_account_id="), host.Id));
                    peerRounds.Add(await Wrk.RunAsync(yarp + "Contacts?top=100", concurrency, options.Timing, [], server: yarpProcess.Id));
                }

                var direct = await Wrk.RunAsync(fakeBase + "Contacts?top=100", concurrency, options.Timing, [("Authorization", basic)], server: fake.Id);
                var directGet = await Wrk.RunAsync(fakeBase + $"Contacts/{recordId}", concurrency, options.Timing, [("Authorization", basic)], server: fake.Id);
                var proxy = Median(proxyRounds);
                var unifiedList = await Wrk.RunAsync(api, concurrency, options.Timing, [], Rotate(lua, ids, "/api/unified/crm/contacts?limit=100&integrated_account_id="), host.Id);
                var unifiedGet = await Wrk.RunAsync(api, concurrency, options.Timing, [], Rotate(lua, ids, $"/api/unified/crm/contacts/{recordId}?integrated_account_id="), host.Id);
                var peer = Median(peerRounds);
                foreach (var (name, result) in new[] { ("a", direct), ("a′", directGet), ("b", proxy), ("c", unifiedList), ("d", unifiedGet), ("e", peer) })
                {
                    cells[(name, concurrency)] = result;
                    Say($"| ({name}) {Describe(name)} | {concurrency} | {Ms(result.P50)} | {Ms(result.P99)} | {result.RequestsPerSecond:N0} | {Cpu(result)} | {result.Non2xx} | {result.LoadAfter} |");
                }
            }

            foreach (var (name, path) in new[]
                     {
                         ("b", "/api/proxy/Contacts?top=100&integrated_account_id="),
                         ("c", "/api/unified/crm/contacts?limit=100&integrated_account_id="),
                         ("d", $"/api/unified/crm/contacts/{recordId}?integrated_account_id="),
                     })
            {
                var single = await Wrk.RunAsync(api, 32, options.Timing, [], Rotate(lua, ids[..1], path), host.Id);
                cells[(name + "1", 32)] = single;
                Say($"| ({name}) {Describe(name)}, one account | 32 | {Ms(single.P50)} | {Ms(single.P99)} | {single.RequestsPerSecond:N0} | {Cpu(single)} | {single.Non2xx} | {single.LoadAfter} |");
            }

            // The same proxy with telemetry on, as in Azure: a second host exporting every span and metric over OTLP/HTTP
            // to a sink in the fake's process, which drops them (so the host does the whole export, and only that).
            var otelPort = FreePort();
            var otelSettings = HostSettings(runId, $"http://127.0.0.1:{fakePort}/{{pod}}/v3.1/");
            otelSettings["urls"] = $"http://127.0.0.1:{otelPort}";
            otelSettings["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{fakePort}";
            otelSettings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            var otelHost = processes.Start("host-otel", "dotnet", [options.HostDll], work.FullName, otelSettings.Select(s => (s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value)).ToList());
            var otelApi = $"http://127.0.0.1:{otelPort}/api/";
            await WaitForHttpAsync(otelApi + "health", process: otelHost);
            using (var otelHttp = new HttpClient { BaseAddress = new Uri(otelApi) })
            {
                await WarmAsync(otelHttp, ids);
            }

            foreach (var concurrency in new[] { 1, 32 })
            {
                var traced = await Wrk.RunAsync(otelApi, concurrency, options.Timing, [], Rotate(lua, ids, "/api/proxy/Contacts?top=100&integrated_account_id="), otelHost.Id);
                cells[("b-otel", concurrency)] = traced;
                Say($"| (b) proxy, telemetry on (spans + meter, OTLP) | {concurrency} | {Ms(traced.P50)} | {Ms(traced.P99)} | {traced.RequestsPerSecond:N0} | {Cpu(traced)} | {traced.Non2xx} | {traced.LoadAfter} |");
            }

            Say("");
            Say("");
            Say("Server CPU per request (µs) is the CPU the process serving the cell used (/proc/PID/stat) divided by the requests it served — " +
                "for (b)–(d) the host alone, for (e) YARP alone, for (a) the fake; the fake's own share of (b)–(e) is not in it. Unlike latency and rate, " +
                "other processes' load barely moves it.");
            Say("");
            Say("| ratio | concurrency 1 | concurrency 32 |");
            Say("|---|---:|---:|");
            foreach (var (label, over, under) in new[] { ("b/a", "b", "a"), ("c/a", "c", "a"), ("d/a", "d", "a"), ("d/a′", "d", "a′"), ("b/e", "b", "e"), ("b with telemetry/e", "b-otel", "e") })
            {
                Say($"| {label} requests/s | {Ratio(cells[(over, 1)].RequestsPerSecond, cells[(under, 1)].RequestsPerSecond)} | {Ratio(cells[(over, 32)].RequestsPerSecond, cells[(under, 32)].RequestsPerSecond)} |");
                Say($"| {label} p50 | {Ratio(cells[(over, 1)].P50, cells[(under, 1)].P50)} | {Ratio(cells[(over, 32)].P50, cells[(under, 32)].P50)} |");
            }

            Say($"| b/e server CPU per request | {Ratio(cells[("b", 1)].CpuPerRequest, cells[("e", 1)].CpuPerRequest)} | {Ratio(cells[("b", 32)].CpuPerRequest, cells[("e", 32)].CpuPerRequest)} |");
            Say("");
            Say($"Added at concurrency 1 over (a): proxy p50 +{Ms(cells[("b", 1)].P50 - cells[("a", 1)].P50)}, p99 +{Ms(cells[("b", 1)].P99 - cells[("a", 1)].P99)}; " +
                $"unified list p50 +{Ms(cells[("c", 1)].P50 - cells[("a", 1)].P50)}, p99 +{Ms(cells[("c", 1)].P99 - cells[("a", 1)].P99)}; " +
                $"unified get p50 +{Ms(cells[("d", 1)].P50 - cells[("a′", 1)].P50)} over (a′).");
            Say($"Load average after the load cells: {Load()}.");
            Say("");

            // Memory, against the same host process.
            Say("## Memory (the host process's working set, /proc)");
            Say("");
            await MemoryAsync(http, host.Id, ids[0], Say);
            Say("");

            // Counts, against a host in this process whose meter we can read.
            Say("## Quota and storage counts (host in the driver's process, meter Insightly.Unified)");
            Say("");
            await Counts.RunAsync(HostSettings(runId + "c", $"http://127.0.0.1:{fakePort}/{{pod}}/v3.1/"), keys[0], fakePort, Say);
            Say("");
            Say($"Load average at the end: {Load()}.");

            if (options.Out is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                await File.WriteAllTextAsync(file, report.ToString());
                Console.WriteLine($"Report written to {file}");
            }

            return 0;
        }
        finally
        {
            await processes.DisposeAsync();
            await DeleteTablesAsync(runId);
            work.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> HostSettings(string runId, string template) => new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Insightly:BaseUrlTemplate"] = template,
        // The fake is not insightly.com, so the limit may be lifted: the benchmark measures our overhead, not Insightly's 10/s.
        ["Insightly:RequestsPerSecond"] = "100000",
        ["Insightly:LimiterQueueLimit"] = "10000",
        ["Storage:AccountsTable"] = "Accounts" + runId,
        ["Storage:DevelopmentSecretsTable"] = "Secrets" + runId,
        ["Storage:IdempotencyTable"] = "Idempotency" + runId,
        ["Storage:LinkTokensTable"] = "LinkTokens" + runId,
        ["CREDENTIAL_CHECK_SCHEDULE"] = "0 0 0 1 1 *",
        // As in production, where Information logs go to telemetry in batches; the console logger would measure the terminal.
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task<string[]> LinkAsync(HttpClient http, string[] keys)
    {
        var ids = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            using var response = await http.PostAsJsonAsync("integrated-accounts",
                new { api_key = keys[i], api_url = "https://api.na1.insightly.com/v3.1/", tenant_id = "bench" });
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            ids[i] = response.IsSuccessStatusCode ? body["id"]!.GetValue<string>() : throw new InvalidOperationException("Linking failed: " + body.ToJsonString());
        }

        return ids;
    }

    /// <summary>Every account's key, row, lookups and connections warm before anything is timed; returns a record id.</summary>
    private static async Task<string> WarmAsync(HttpClient http, string[] ids)
    {
        string? recordId = null;
        foreach (var id in ids)
        {
            using var proxied = await http.GetAsync($"proxy/Contacts?top=1&integrated_account_id={id}");
            proxied.EnsureSuccessStatusCode();
            var list = JsonNode.Parse(await http.GetStringAsync($"unified/crm/contacts?limit=2&integrated_account_id={id}"))!;
            recordId ??= list["result"]![0]!["id"]!.GetValue<string>();
            using var single = await http.GetAsync($"unified/crm/contacts/{recordId}?integrated_account_id={id}");
            single.EnsureSuccessStatusCode();
        }

        return recordId!;
    }

    private static async Task MemoryAsync(HttpClient http, int hostPid, string accountId, Action<string> say)
    {
        // 50 MB through the proxy, read as fast as the driver can.
        await Task.Delay(TimeSpan.FromSeconds(2));
        GcSettle(hostPid);
        var before = Proc.Rss(hostPid);
        Proc.ResetPeak(hostPid);
        const long size = 50L * 1024 * 1024;
        using (var response = await http.GetAsync($"proxy/FileAttachments/{size}?integrated_account_id={accountId}", HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var read = await CountAsync(body);
            if (read != size)
            {
                throw new InvalidOperationException($"The proxy passed {read} of {size} bytes.");
            }
        }

        var peak = Proc.Peak(hostPid);
        say($"- **Streaming 50 MB through the proxy:** working set {Mib(before)} before, peak {Mib(peak)} during: grew **{Mib(peak - before)}** (target < 32 MB).");

        // 100,000 contacts through the unified API, 500 a page, sampled every 20 pages.
        GcSettle(hostPid);
        before = Proc.Rss(hostPid);
        Proc.ResetPeak(hostPid);
        var samples = new List<long>();
        string? cursor = null;
        var records = 0;
        var pages = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            var url = $"unified/crm/contacts?limit=500&integrated_account_id={accountId}" + (cursor is null ? "" : "&next_cursor=" + Uri.EscapeDataString(cursor));
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var page = JsonNode.Parse(await response.Content.ReadAsStreamAsync())!;
            records += page["result"]!.AsArray().Count;
            cursor = page["next_cursor"]?.GetValue<string>();
            if (++pages % 20 == 0)
            {
                samples.Add(Proc.Rss(hostPid));
            }
        }
        while (cursor is not null);

        peak = Proc.Peak(hostPid);
        say($"- **Paging 100,000 contacts** ({records:N0} records in {pages} pages of 500, {watch.Elapsed.TotalSeconds:N1} s): working set {Mib(before)} before; " +
            $"every 20 pages {string.Join(", ", samples.Select(Mib))}; peak {Mib(peak)} (growth {Mib(peak - before)}), end {Mib(samples.LastOrDefault())}.");
    }

    private static void GcSettle(int pid)
    {
        // Nothing to ask the other process; give its background GC a moment after the load cells.
        Thread.Sleep(500);
    }

    private static async Task<long> CountAsync(Stream body)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static string Rotate(string file, string[] ids, string pathPrefix)
    {
        var lua = new StringBuilder("local ids = {");
        lua.AppendJoin(", ", ids.Select(id => $"\"{id}\""));
        lua.AppendLine("}");
        lua.AppendLine("local n = 0");
        lua.AppendLine("request = function()");
        lua.AppendLine("  n = n % #ids + 1");
        lua.AppendLine($"  return wrk.format(\"GET\", \"{pathPrefix}\" .. ids[n])");
        lua.AppendLine("end");
        File.WriteAllText(file, lua.ToString());
        return file;
    }

    /// <summary>The round with the median rate (its own latencies with it, so one row is one real run).</summary>
    private static WrkResult Median(List<WrkResult> rounds) => rounds.OrderBy(r => r.RequestsPerSecond).ElementAt(rounds.Count / 2);

    private static string Cpu(WrkResult result) => result.CpuPerRequest == 0
        ? "–"
        : result.CpuPerRequest.ToString("N0", CultureInfo.InvariantCulture) + " µs";

    private static string Describe(string cell) => cell switch
    {
        "a" => "fake directly, `Contacts?top=100`",
        "a′" => "fake directly, `Contacts/{id}`",
        "b" => "proxy",
        "c" => "unified list",
        "d" => "unified get",
        _ => "YARP",
    };

    public static string Ms(double milliseconds) => milliseconds >= 10
        ? milliseconds.ToString("N1", CultureInfo.InvariantCulture) + " ms"
        : milliseconds.ToString("N2", CultureInfo.InvariantCulture) + " ms";

    private static string Ratio(double over, double under) => under == 0 ? "–" : (over / under).ToString("N2", CultureInfo.InvariantCulture);

    public static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for " + what);
            }

            await Task.Delay(200);
        }
    }

    private static async Task WaitForHttpAsync(string url, bool expectSuccess = false, Process? process = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitForAsync(() =>
        {
            if (process?.HasExited == true)
            {
                throw new InvalidOperationException($"The process for {url} exited with {process.ExitCode}; see its log.");
            }

            try
            {
                using var response = http.GetAsync(url).GetAwaiter().GetResult();
                return !expectSuccess || response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, url);
    }

    private static async Task DeleteTablesAsync(string runId)
    {
        var tables = new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true");
        foreach (var suffix in new[] { "", "c" })
        {
            foreach (var table in new[] { "Accounts", "Secrets", "Idempotency", "LinkTokens" })
            {
                try
                {
                    await tables.DeleteTableAsync(table + runId + suffix);
                }
                catch (Azure.RequestFailedException)
                {
                }
            }
        }
    }

    private sealed record Options(string HostDll, string BenchDll, int Duration, int Warmup, int Rounds, string? Out, string Command)
    {
        public (int Duration, int Warmup) Timing => (Duration, Warmup);

        public static Options Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            return new Options(
                Path.GetFullPath(Value("--host-dll") ?? throw new ArgumentException("--host-dll is required")),
                typeof(Driver).Assembly.Location,
                int.Parse(Value("--duration") ?? "10", CultureInfo.InvariantCulture),
                int.Parse(Value("--warmup") ?? "5", CultureInfo.InvariantCulture),
                int.Parse(Value("--rounds") ?? "3", CultureInfo.InvariantCulture),
                Value("--out"),
                Value("--command") ?? "bench/run.sh");
        }
    }

    /// <summary>/proc figures of another process: resident set now, its peak, and resetting that peak.</summary>
    private static class Proc
    {
        public static long Rss(int pid) => Field(pid, "VmRSS");

        public static long Peak(int pid) => Field(pid, "VmHWM");

        public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

        private static long Field(int pid, string name)
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
            return long.Parse(Digits().Match(line).Value, CultureInfo.InvariantCulture) * 1024;
        }
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
