using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Insightly.Unified.Http;

/// <summary>
/// A JSON response written with <see cref="Utf8JsonWriter"/> straight to the response body as it is produced
/// (flushed every few kilobytes), so a page of 500 records is never built as a tree or buffered whole.
/// Disposes what the body was read from once it is written.
/// </summary>
public sealed class JsonWriterResult(int status, Func<Utf8JsonWriter, Func<Task>, Task> write, IDisposable? source = null) : IActionResult
{
    private const int FlushThreshold = 16 * 1024;

    public static readonly JsonWriterOptions Options = new()
    {
        // Served as application/json only, never inside HTML: names like "Zoë" stay readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task ExecuteResultAsync(ActionContext context)
    {
        using (source)
        {
            var response = context.HttpContext.Response;
            var aborted = context.HttpContext.RequestAborted;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            var body = response.BodyWriter;
            // Over the response's PipeWriter, the writer's own flushes only hand bytes to the pipe (no blocking I/O,
            // so a serializer that flushes synchronously is safe); the pipe sends them when it is flushed.
            await using var writer = new Utf8JsonWriter(body, Options);
            var sent = 0L;
            await write(writer, async () =>
            {
                if (writer.BytesPending + writer.BytesCommitted - sent >= FlushThreshold)
                {
                    writer.Flush();
                    sent = writer.BytesCommitted;
                    await body.FlushAsync(aborted);
                }
            });
            writer.Flush();
            await body.FlushAsync(aborted);
        }
    }
}

/// <summary>A JSON response whose bytes are already made (a created record, or a replayed idempotent answer).</summary>
public sealed class JsonBytesResult(int status, byte[] body) : IActionResult
{
    public int Status { get; } = status;

    public byte[] Body { get; } = body;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = Body.Length;
        await response.Body.WriteAsync(Body, context.HttpContext.RequestAborted);
    }
}
