namespace Insightly.Unified.Errors;

/// <summary>The <c>error</c> values of the contract's error shape (api-contract.md, section 1).</summary>
public static class ErrorCodes
{
    public const string MissingParameter = "missing_parameter";
    public const string InvalidParameter = "invalid_parameter";
    public const string InvalidCursor = "invalid_cursor";
    public const string InvalidBody = "invalid_body";
    public const string UnsupportedFilter = "unsupported_filter";
    public const string AccountNeedsReauth = "account_needs_reauth";
    public const string RemoteForbidden = "remote_forbidden";
    public const string AccountNotFound = "account_not_found";
    public const string UnknownResource = "unknown_resource";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string IdempotencyConflict = "idempotency_conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InvalidCredentials = "invalid_credentials";
    public const string RemoteValidationError = "remote_validation_error";
    public const string RateLimited = "rate_limited";
    public const string UpstreamError = "upstream_error";
    public const string UpstreamUnavailable = "upstream_unavailable";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string ClientClosedRequest = "client_closed_request";
    public const string InternalError = "internal_error";
}
