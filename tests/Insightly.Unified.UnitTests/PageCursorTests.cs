using Insightly.Unified.Errors;
using Insightly.Unified.Http;

namespace Insightly.Unified.UnitTests;

public sealed class PageCursorTests
{
    [Fact]
    public void A_cursor_returns_its_position_for_the_same_query()
    {
        var cursor = PageCursor.Encode("accounts|tenant=t1", "1!24!YWJj");
        Assert.Equal("1!24!YWJj", PageCursor.Decode(cursor, "accounts|tenant=t1"));
    }

    [Fact]
    public void A_cursor_replayed_with_other_filters_is_refused()
    {
        var cursor = PageCursor.Encode("accounts|tenant=t1", "position");
        var error = Assert.Throws<ApiException>(() => PageCursor.Decode(cursor, "accounts|tenant=t2"));
        Assert.Equal(ErrorCodes.InvalidCursor, error.Error);
        Assert.Equal("next_cursor", error.Details!["parameter"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("YWJj")]
    [InlineData("")]
    public void A_made_up_cursor_is_refused(string cursor) =>
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<ApiException>(() => PageCursor.Decode(cursor, "q")).Error);
}
