using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Secrets;
using Insightly.Unified.Security;
using Microsoft.Extensions.Options;
using Moq;

namespace Insightly.Unified.UnitTests;

public sealed class PageCursorsTests
{
    private const string Binding = "contacts|ia-abc|email=ada@example.com";

    private readonly Mock<ISecretStore> store = new(MockBehavior.Strict);
    private readonly PageCursors cursors;

    public PageCursorsTests()
    {
        store.Setup(s => s.GetOrCreateAsync("signing-key-cursors", It.IsAny<Func<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Convert.ToBase64String(new byte[32]));
        cursors = new PageCursors(new SigningKeys(store.Object, Options.Create(new ApiOptions())));
    }

    [Fact]
    public async Task A_cursor_gives_back_its_position_for_the_same_query()
    {
        var cursor = await cursors.EncodeAsync(Binding, "skip=500", default);
        Assert.Equal("skip=500", await cursors.DecodeAsync(cursor, Binding, default));
    }

    [Fact]
    public async Task A_cursor_replayed_with_another_query_is_invalid()
    {
        var cursor = await cursors.EncodeAsync(Binding, "skip=500", default);
        var error = await Assert.ThrowsAsync<ApiException>(() => cursors.DecodeAsync(cursor, "contacts|ia-other|email=ada@example.com", default));
        Assert.Equal(ErrorCodes.InvalidCursor, error.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    public async Task Garbage_is_an_invalid_cursor(string cursor)
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => cursors.DecodeAsync(cursor, Binding, default));
        Assert.Equal((400, ErrorCodes.InvalidCursor), (error.StatusCode, error.Error));
    }

    [Fact]
    public async Task A_cursor_with_an_edited_position_is_invalid()
    {
        var cursor = await cursors.EncodeAsync(Binding, "skip=500", default);
        var forgedPosition = System.Buffers.Text.Base64Url.EncodeToString("skip=0"u8);
        var forged = forgedPosition + cursor[cursor.IndexOf('.', StringComparison.Ordinal)..];

        await Assert.ThrowsAsync<ApiException>(() => cursors.DecodeAsync(forged, Binding, default));
    }

    [Fact]
    public async Task A_cursor_signed_with_another_key_is_invalid()
    {
        var otherStore = new Mock<ISecretStore>();
        otherStore.Setup(s => s.GetOrCreateAsync(It.IsAny<string>(), It.IsAny<Func<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
        var elsewhere = await new PageCursors(new SigningKeys(otherStore.Object, Options.Create(new ApiOptions()))).EncodeAsync(Binding, "skip=500", default);

        await Assert.ThrowsAsync<ApiException>(() => cursors.DecodeAsync(elsewhere, Binding, default));
    }

    [Fact]
    public async Task The_key_is_read_from_the_store_once()
    {
        for (var i = 0; i < 5; i++)
        {
            await cursors.EncodeAsync(Binding, $"skip={i}", default);
        }

        store.Verify(s => s.GetOrCreateAsync("signing-key-cursors", It.IsAny<Func<string>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_configured_key_is_used_without_the_store()
    {
        var configured = new PageCursors(new SigningKeys(Mock.Of<ISecretStore>(MockBehavior.Strict),
            Options.Create(new ApiOptions { CursorSigningKey = Convert.ToBase64String(new byte[32]) })));

        var cursor = await configured.EncodeAsync(Binding, "skip=5", default);
        Assert.Equal("skip=5", await cursors.DecodeAsync(cursor, Binding, default));
    }
}
