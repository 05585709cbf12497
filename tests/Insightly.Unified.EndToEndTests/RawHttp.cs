using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// HTTP/1.0 over a plain socket, byte for byte: HttpClient (through <see cref="Uri"/>) would resolve <c>..</c>,
/// re-encode escapes or refuse control characters before sending, so hostile paths must go out raw.
/// HTTP/1.0 makes the server close the connection after its answer, which marks the end of the body.
/// </summary>
internal static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonObject? Json()
        {
            try
            {
                return JsonNode.Parse(Body) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    /// <param name="target">The request target exactly as it goes on the wire, e.g. <c>/api/proxy/%2e%2e</c>.</param>
    public static async Task<Response> SendAsync(Uri server, string method, string target, IEnumerable<string>? headers = null, byte[]? body = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stream = tcp.GetStream();
        var head = new StringBuilder($"{method} {target} HTTP/1.0\r\nHost: {server.Authority}\r\n");
        foreach (var header in headers ?? [])
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        // Non-ASCII characters of the target go out as their UTF-8 bytes, as a careless client would send them.
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), timeout.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, timeout.Token);
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A server that answers before reading the whole body may reset the connection after its answer.
        }

        return Parse(Encoding.UTF8.GetString(received.ToArray()));
    }

    private static Response Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = (end < 0 ? text : text[..end]).Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = head.Skip(1)
            .Select(line => line.Split(':', 2))
            .GroupBy(parts => parts[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p[1].Trim())), StringComparer.OrdinalIgnoreCase);
        return new Response(status, headers, end < 0 ? "" : text[(end + 4)..]);
    }
}
