using System.Globalization;

namespace FakeInsightly;

/// <summary>
/// A scripted answer given instead of the real one for the next <see cref="Times"/> requests with this key to this
/// path (case-insensitive, no query string; optionally one <see cref="Method"/>): its status, extra headers (which
/// may be ones a proxy must not pass on, such as <c>Set-Cookie</c>) and a body of <see cref="BodyBytes"/> bytes
/// generated as it is written, so a 50 MB answer never exists whole in memory. The request is authenticated
/// and counted against the quotas like any other, and the daily-quota headers are set first (the canned
/// headers may override them).
/// </summary>
/// <remarks>
/// The body is one JSON string, <c>"</c> + <see cref="BodyCharAt"/> characters + <c>"</c>, exactly
/// <see cref="BodyBytes"/> long (at least 2), so a reader can check every byte it received.
/// </remarks>
public sealed record CannedResponse(string ApiKey, string Path, int Status = 200, int Times = 1)
{
    public string? Method { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string ContentType { get; init; } = "application/json; charset=utf-8";

    public long BodyBytes { get; init; } = 2;

    /// <summary>Leave out <c>Content-Length</c> and send the body chunked.</summary>
    public bool Chunked { get; init; }

    /// <summary>Break the connection after this many body bytes have been sent (and flushed) instead of finishing.</summary>
    public long? AbortAfterBytes { get; init; }

    /// <summary>The byte at <paramref name="offset"/> of a canned body of <paramref name="length"/> bytes.</summary>
    public static byte BodyByteAt(long offset, long length) =>
        offset == 0 || offset == length - 1 ? (byte)'"' : (byte)BodyCharAt(offset);

    /// <summary>The body's characters between its quotes cycle through 0–9 and a–z by offset.</summary>
    public static char BodyCharAt(long offset) => "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(offset % 36)];

    internal bool Matches(string apiKey, string method, string path) =>
        ApiKey == apiKey &&
        Path.Trim('/').Equals(path.Trim('/'), StringComparison.OrdinalIgnoreCase) &&
        (Method is null || Method.Equals(method, StringComparison.OrdinalIgnoreCase));

    internal async Task WriteAsync(HttpContext context, Action<int> written)
    {
        var http = context.Response;
        var ct = context.RequestAborted;
        http.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            http.Headers[name] = value;
        }

        http.ContentType = ContentType;
        var length = Math.Max(2, BodyBytes);
        if (!Chunked)
        {
            http.ContentLength = length;
        }

        var end = Math.Min(length, AbortAfterBytes ?? length);
        var buffer = new byte[64 * 1024];
        for (long offset = 0; offset < end;)
        {
            var size = (int)Math.Min(buffer.Length, end - offset);
            for (var i = 0; i < size; i++)
            {
                buffer[i] = BodyByteAt(offset + i, length);
            }

            await http.Body.WriteAsync(buffer.AsMemory(0, size), ct);
            offset += size;
            written(size);
        }

        if (end < length)
        {
            // Let what was sent reach the reader before the reset, so the break comes mid-body, not before the headers.
            await http.Body.FlushAsync(ct);
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            context.Abort();
        }
    }

    public override string ToString() =>
        $"{Method ?? "*"} {Path} → {Status.ToString(CultureInfo.InvariantCulture)}, {BodyBytes.ToString(CultureInfo.InvariantCulture)} bytes";
}

/// <summary>The canned answers waiting to be given, consumed one use at a time.</summary>
internal sealed class CannedScript
{
    private readonly List<CannedResponse> responses = [];
    private readonly Lock gate = new();

    public void Add(CannedResponse response)
    {
        lock (gate)
        {
            responses.Add(response);
        }
    }

    public CannedResponse? Take(string apiKey, string method, string path)
    {
        lock (gate)
        {
            var index = responses.FindIndex(r => r.Matches(apiKey, method, path));
            if (index < 0)
            {
                return null;
            }

            var response = responses[index];
            if (response.Times <= 1)
            {
                responses.RemoveAt(index);
            }
            else
            {
                responses[index] = response with { Times = response.Times - 1 };
            }

            return response;
        }
    }
}
