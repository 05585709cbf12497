namespace Insightly.Unified.TestData;

/// <summary>
/// Paths (as encoded after <c>/api/proxy/</c>) that would leave the account's v3.1 base or hide something. The unit
/// tests check each against the validator; the end-to-end tests send each over a socket, byte for byte.
/// </summary>
public static class HostileProxyPaths
{
    public static readonly string[] All =
    [
        // Dot segments, plain.
        "..", "../Users", "Contacts/..", "Contacts/../../admin", "Contacts/../Users/Me", ".", "./Contacts", "Contacts/./1", "...",
        // Dot segments, encoded: percent, mixed case, half-encoded, double and triple encoded.
        "%2e%2e", "%2E%2E/Users", ".%2e", "%2e.", "Contacts/%2e%2e/Users", "%252e%252e", "%25252e%25252e/Users", "%2e",
        // Overlong UTF-8 and other encodings that some decoders turn into dots or slashes.
        "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae", "%c0%2e%c0%2e", "%c0%af", "%e0%80%af", "%u002e%u002e", "%ef%bc%8e%ef%bc%8e", "．．",
        // Encoded slash and backslash; raw backslashes.
        "Contacts%2fUsers", "Contacts%2F..%2FUsers", "%2f%2fevil.example", "Contacts%5c..%5cUsers", "%255c", "%252f", "Contacts\\..\\Users", "..\\Users",
        // Absolute URLs, network paths, other schemes, user info, ports.
        "http://evil.example/x", "https:%2f%2fevil.example", "//evil.example/x", "/evil.example", "javascript:alert(1)",
        "file:///etc/passwd", "ftp:evil", "@evil.example", "user@evil.example/Contacts", "Contacts@evil.example", "%40evil.example",
        "evil.example:443", "Contacts%3a8080",
        // Control characters, raw or encoded; CRLF header injection.
        "Contacts%00", "Contacts%0d%0aHost:%20evil.example", "Contacts%0a", "Contacts%09", "Contacts%7f", "Contacts\u0001", "Contacts\r\nX: 1",
        // Malformed escapes, path parameters, query or fragment smuggled into the path, spaces, non-ASCII.
        "Contacts%", "Contacts%2", "Contacts%zz", "..;/Users", "Contacts;jsessionid=1", "Contacts%3f", "Contacts%23x", "Contacts%20", "%e2%80%ae", "%ff",
        // Empty segments.
        "Contacts//1", "//", "/",
    ];
}
