using System.Globalization;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Insightly.Unified.Proxy;

/// <summary>
/// The caller's body on its way to Insightly. PUT and DELETE are retried by the client, and a consumed stream
/// cannot be sent twice, so their bodies are read into memory first (at most the limit); POST and PATCH are
/// never retried, so their bodies stream straight through without being held whole. Either way nothing past
/// the limit is read: a declared <c>Content-Length</c> over it is refused before reading, and a chunked body
/// is cut off the moment it passes it.
/// </summary>
public sealed class ProxyRequestBody
{
    private readonly byte[]? buffered;
    private readonly LimitedStream? streamed;
    private readonly string? contentType;
    private readonly long? contentLength;
    private int sent;

    private ProxyRequestBody(byte[]? buffered, LimitedStream? streamed, string? contentType, long? contentLength)
    {
        this.buffered = buffered;
        this.streamed = streamed;
        this.contentType = contentType;
        this.contentLength = contentLength;
    }

    /// <summary>No body: GET, or a request that has none.</summary>
    public static ProxyRequestBody None { get; } = new(null, null, null, null);

    /// <summary>True when the caller's body passed the limit while being read or sent.</summary>
    public bool LimitExceeded => streamed?.Exceeded == true;

    /// <param name="path">The Insightly path the body goes to, which decides whether a multipart upload may.</param>
    public static async Task<ProxyRequestBody> ReadAsync(HttpRequest request, HttpMethod method, string path, long limit, CancellationToken cancellationToken)
    {
        if (method == HttpMethod.Get || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            return None;
        }

        EnsureForwardableType(request, path);

        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // Let the server refuse the excess too, where it still can (it cannot once reading has begun).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit;
        }

        var body = new LimitedStream(request.Body, limit);
        if (method != HttpMethod.Put && method != HttpMethod.Delete)
        {
            return new ProxyRequestBody(null, body, request.ContentType, request.ContentLength);
        }

        using var memory = new MemoryStream();
        try
        {
            await body.CopyToAsync(memory, cancellationToken);
        }
        catch (Exception) when (body.Exceeded)
        {
            throw TooLarge(limit);
        }

        return new ProxyRequestBody(memory.ToArray(), null, request.ContentType, null);
    }

    /// <summary>
    /// The content for one request message. A buffered body makes a new content over the same bytes each time; a
    /// streamed body can be sent once only. The connector builds a second message only after a 401, to try a key
    /// another instance has just rotated in — a streamed body is spent by then, so the caller is asked to resend
    /// (nothing was applied: Insightly refused the old key).
    /// </summary>
    public HttpContent? CreateContent()
    {
        HttpContent content;
        if (buffered is not null)
        {
            content = new ByteArrayContent(buffered);
        }
        else if (streamed is not null)
        {
            if (Interlocked.Exchange(ref sent, 1) == 1)
            {
                throw new ApiException(503, ErrorCodes.UpstreamUnavailable,
                    "The account's API key was replaced while this request was on its way, and Insightly refused the old one; " +
                    "nothing was applied. Send the request again.",
                    new JsonObject { ["source"] = "insightly" })
                {
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                };
            }

            content = new StreamContent(streamed, 64 * 1024);
            content.Headers.ContentLength = contentLength;
        }
        else
        {
            return null;
        }

        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    /// <summary>
    /// A page of another site can make a browser send a body without asking first (no CORS preflight, which this API
    /// never answers) only as a form (<c>application/x-www-form-urlencoded</c>, <c>multipart/form-data</c>), as
    /// <c>text/plain</c>, or with no type at all; locally no function key stands in its way. So those are refused with
    /// 415, and JSON or any other type goes through — except <c>multipart/form-data</c> to an Insightly
    /// <c>…/FileAttachments</c> collection, the one upload Insightly takes that way, from a caller that is not a web
    /// page (no <c>Origin</c> header: browsers send one with every cross-origin POST).
    /// </summary>
    private static void EnsureForwardableType(HttpRequest request, string path)
    {
        var contentType = request.ContentType;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            throw UnsupportedType(contentType);
        }

        var type = mediaType.MediaType.Value!;
        if (type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && path.EndsWith("/FileAttachments", StringComparison.OrdinalIgnoreCase)
            && request.Headers.Origin.Count == 0)
        {
            return;
        }

        if (type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            throw UnsupportedType(contentType);
        }
    }

    private static ApiException UnsupportedType(string? contentType) =>
        new(415, ErrorCodes.UnsupportedMediaType,
            $"The proxy does not forward a body sent as '{contentType ?? "no Content-Type"}': a page of another site could send one. " +
            "Send JSON (application/json) or another explicit type; file uploads go as multipart/form-data to …/FileAttachments, from a server.");

    public static ApiException TooLarge(long limit) =>
        new(413, ErrorCodes.PayloadTooLarge,
            $"The request body is larger than the proxy accepts ({limit.ToString(CultureInfo.InvariantCulture)} bytes).",
            new JsonObject { ["limit_bytes"] = limit });

    /// <summary>Reads the caller's body, failing (and remembering it) once more than the limit has come through.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long total;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => total;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }

            total += read;
            if (total > limit)
            {
                Exceeded = true;
                throw TooLarge(limit);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // The caller's body belongs to the server; the content wrapping this stream must not dispose it.
        protected override void Dispose(bool disposing)
        {
        }
    }
}
