namespace FakeInsightly;

/// <summary>What a scripted fault does to the answer.</summary>
public enum FaultKind
{
    /// <summary>Answer <see cref="ScriptedFault.Status"/> with <c>{"Message": "Scripted failure …"}</c>; the request is not processed.</summary>
    Status,

    /// <summary>Process the request (its writes happen), then answer <see cref="ScriptedFault.Status"/> with a body that is not valid JSON.</summary>
    MalformedJson,

    /// <summary>Process the request, send the headers (with the full Content-Length) and part of the body, then reset the connection.</summary>
    ResetMidBody,

    /// <summary>Process the request, send the headers at once, then the body in pieces with <see cref="ScriptedFault.BodyPause"/> between them.</summary>
    SlowBody,

    /// <summary>Process the request (its writes happen), then reset the connection before any of the answer is sent.</summary>
    ResetBeforeAnswer,

    /// <summary>Process the request and answer it as usual, after <see cref="ScriptedFault.Delay"/> or <see cref="ScriptedFault.Hold"/>: slow but sound.</summary>
    Answer,
}

/// <summary>
/// A scripted answer for the next <see cref="Times"/> requests with this key to this path (case-insensitive,
/// without the query string), e.g. three 503s for <c>Users/Me</c>. <see cref="Delay"/> waits before answering;
/// <see cref="Method"/> narrows the match to one HTTP method; <see cref="Kind"/> says how the answer is broken.
/// </summary>
public sealed record ScriptedFault(string ApiKey, string Path, int Status, int Times, TimeSpan? Delay = null, string? RetryAfter = null)
{
    /// <summary>Only requests with this method match (case-insensitive); null matches any.</summary>
    public string? Method { get; init; }

    public FaultKind Kind { get; init; } = FaultKind.Status;

    /// <summary>For <see cref="FaultKind.SlowBody"/>: the wait between the body's pieces.</summary>
    public TimeSpan BodyPause { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>For <see cref="FaultKind.SlowBody"/>: how many pieces the body is cut into.</summary>
    public int BodyPieces { get; init; } = 4;

    /// <summary>The request waits until this completes before it is handled: lets a test keep a request in flight exactly as long as it needs.</summary>
    public Task? Hold { get; init; }

    /// <summary>The real answer, once <paramref name="hold"/> has completed.</summary>
    public static ScriptedFault HeldUntil(string apiKey, string path, Task hold, string? method = null) =>
        new(apiKey, path, 0, 1) { Kind = FaultKind.Answer, Method = method, Hold = hold };

    /// <summary>A 200 whose body is cut-off JSON, after the request took effect.</summary>
    public static ScriptedFault MalformedJson(string apiKey, string path, int times = 1, string? method = null) =>
        new(apiKey, path, 200, times) { Kind = FaultKind.MalformedJson, Method = method };

    /// <summary>The real answer's headers and about half its body, then a connection reset.</summary>
    public static ScriptedFault ResetMidBody(string apiKey, string path, int times = 1, string? method = null) =>
        new(apiKey, path, 0, times) { Kind = FaultKind.ResetMidBody, Method = method };

    /// <summary>The request takes effect, then the connection is reset before any answer: the caller cannot tell.</summary>
    public static ScriptedFault ResetBeforeAnswer(string apiKey, string path, int times = 1, string? method = null) =>
        new(apiKey, path, 0, times) { Kind = FaultKind.ResetBeforeAnswer, Method = method };

    /// <summary>The real answer, its body trickled out in <paramref name="pieces"/> pieces <paramref name="pause"/> apart.</summary>
    public static ScriptedFault SlowBody(string apiKey, string path, TimeSpan pause, int pieces = 4, int times = 1, string? method = null) =>
        new(apiKey, path, 0, times) { Kind = FaultKind.SlowBody, Method = method, BodyPause = pause, BodyPieces = pieces };

    internal bool Matches(string apiKey, string method, string path) =>
        ApiKey == apiKey &&
        Path.Trim('/').Equals(path.Trim('/'), StringComparison.OrdinalIgnoreCase) &&
        (Method is null || Method.Equals(method, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The scripted faults waiting to fire, consumed one use at a time.</summary>
internal sealed class FaultScript
{
    private readonly List<ScriptedFault> faults = [];
    private readonly Lock gate = new();

    public void Add(ScriptedFault fault)
    {
        lock (gate)
        {
            faults.Add(fault);
        }
    }

    public ScriptedFault? Take(string apiKey, string method, string path)
    {
        lock (gate)
        {
            var index = faults.FindIndex(f => f.Matches(apiKey, method, path));
            if (index < 0)
            {
                return null;
            }

            var fault = faults[index];
            if (fault.Times <= 1)
            {
                faults.RemoveAt(index);
            }
            else
            {
                faults[index] = fault with { Times = fault.Times - 1 };
            }

            return fault;
        }
    }
}
