using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// A stand-in for the Key Vault secrets REST API over HTTPS on loopback, for running the production
/// <c>KeyVaultSecretStore</c> with the real <see cref="SecretClient"/>. It behaves as a vault does where the
/// product depends on it: the bearer challenge, a new version per write, 404 for a missing secret, soft delete
/// (409 when a deleted name is written again), version listing, and 429 with <c>Retry-After</c> on request.
/// Its self-signed certificate is trusted only by the transport <see cref="ClientOptions"/> hands out.
/// </summary>
public sealed class KeyVaultStandIn : IAsyncDisposable
{
    public const string Token = "stand-in-token";

    private readonly ConcurrentDictionary<string, StoredName> secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> requests = new();
    private readonly X509Certificate2 certificate = SelfSigned();
    private WebApplication? app;
    private int throttleNext;
    private volatile bool failing;

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>Method, path and whether it carried the bearer token, in the order received.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    /// <summary>The next <paramref name="count"/> requests get 429 with <c>Retry-After: 1</c>.</summary>
    public void ThrottleNext(int count) => Interlocked.Exchange(ref throttleNext, count);

    /// <summary>While true, every request gets 503, as a vault in trouble answers.</summary>
    public bool Failing { set => failing = value; }

    /// <summary>Client options that trust this stand-in's certificate (and no other), as the test's transport.</summary>
    public SecretClientOptions ClientOptions()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
        };
        return new SecretClientOptions
        {
            Transport = new HttpClientTransport(handler),
            // The stand-in's challenge names vault.azure.net while it listens on 127.0.0.1.
            DisableChallengeResourceVerification = true,
            Retry = { Delay = TimeSpan.FromMilliseconds(50), MaxRetries = 2 },
        };
    }

    public static async Task<KeyVaultStandIn> StartAsync()
    {
        var vault = new KeyVaultStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(vault.certificate)));
        vault.app = builder.Build();
        vault.app.Map("/{**path}", vault.HandleAsync);
        await vault.app.StartAsync();
        var address = vault.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        vault.VaultUri = new Uri(address.TrimEnd('/') + "/");
        return vault;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorized = request.Headers.Authorization.ToString() == $"Bearer {Token}";
        requests.Enqueue($"{request.Method} {request.Path}{(authorized ? "" : " (no token)")}");
        if (!authorized)
        {
            context.Response.Headers.WWWAuthenticate =
                "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";
            await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }

        if (failing)
        {
            await ErrorAsync(context, 503, "ServiceUnavailable", "The service is unavailable.");
            return;
        }

        if (Interlocked.Decrement(ref throttleNext) >= 0)
        {
            context.Response.Headers.RetryAfter = "1";
            await ErrorAsync(context, 429, "Throttled", "Rate limit exceeded. Try again in 1 second.");
            return;
        }

        var segments = request.Path.Value!.Trim('/').Split('/');
        switch (request.Method, segments)
        {
            case ("GET", ["secrets"]):
                await JsonAsync(context, 200, new JsonObject
                {
                    ["value"] = new JsonArray([.. secrets.Where(s => !s.Value.Deleted).Select(s => (JsonNode?)Properties(s.Key, s.Value.Versions[^1]))]),
                    ["nextLink"] = null,
                });
                return;
            case ("PUT", ["secrets", var name]):
                await SetAsync(context, name);
                return;
            case ("GET", ["secrets", var name, "versions"]) when Live(name) is { } stored:
                await JsonAsync(context, 200, new JsonObject
                {
                    ["value"] = new JsonArray([.. stored.Versions.Select(v => (JsonNode?)Properties(name, v))]),
                    ["nextLink"] = null,
                });
                return;
            case ("GET", ["secrets", var name]) when Live(name) is { } stored:
                await JsonAsync(context, 200, Bundle(name, stored.Versions[^1]));
                return;
            case ("GET", ["secrets", var name, var version]) when Live(name)?.Versions.FirstOrDefault(v => v.Id == version) is { } found:
                await JsonAsync(context, 200, Bundle(name, found));
                return;
            case ("DELETE", ["secrets", var name]) when Live(name) is { } stored:
                stored.Deleted = true;
                var deleted = Bundle(name, stored.Versions[^1]);
                deleted["recoveryId"] = $"{VaultUri}deletedsecrets/{name}";
                deleted["deletedDate"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                deleted["scheduledPurgeDate"] = DateTimeOffset.UtcNow.AddDays(90).ToUnixTimeSeconds();
                await JsonAsync(context, 200, deleted);
                return;
            default:
                await ErrorAsync(context, 404, "SecretNotFound", $"A secret with (name/id) {string.Join('/', segments.Skip(1))} was not found in this key vault.");
                return;
        }
    }

    private async Task SetAsync(HttpContext context, string name)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var stored = secrets.GetOrAdd(name, _ => new StoredName());
        Version version;
        lock (stored)
        {
            if (stored.Deleted)
            {
                version = null!;
            }
            else
            {
                // Stamped to the second, as a real vault's versions are: writes in the same second share a created time.
                version = new Version(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), body["value"]!.GetValue<string>(),
                    body["contentType"]?.GetValue<string>(), body["tags"]?.DeepClone(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                stored.Versions.Add(version);
            }
        }

        if (version is null)
        {
            await ErrorAsync(context, 409, "Conflict",
                $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.");
            return;
        }

        await JsonAsync(context, 200, Bundle(name, version));
    }

    private StoredName? Live(string name) => secrets.TryGetValue(name, out var stored) && !stored.Deleted && stored.Versions.Count > 0 ? stored : null;

    private JsonObject Properties(string name, Version version) => new()
    {
        ["id"] = $"{VaultUri}secrets/{name}/{version.Id}",
        ["contentType"] = version.ContentType,
        ["tags"] = version.Tags?.DeepClone(),
        ["attributes"] = new JsonObject
        {
            ["enabled"] = true,
            ["created"] = version.Created,
            ["updated"] = version.Created,
            ["recoveryLevel"] = "Recoverable",
        },
    };

    private JsonObject Bundle(string name, Version version)
    {
        var bundle = Properties(name, version);
        bundle["value"] = version.Value;
        return bundle;
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        JsonAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed class StoredName
    {
        public List<Version> Versions { get; } = [];

        public bool Deleted { get; set; }
    }

    private sealed record Version(string Id, string Value, string? ContentType, JsonNode? Tags, long Created);
}

/// <summary>A credential that hands out the stand-in's token, as a managed identity would hand out Entra tokens.</summary>
public sealed class StandInCredential : TokenCredential
{
    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.AddRange(requestContext.Scopes);
        }

        return new AccessToken(KeyVaultStandIn.Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
