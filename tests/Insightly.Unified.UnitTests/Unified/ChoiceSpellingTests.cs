using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

/// <summary>
/// Opportunity states, task and project statuses and bid types are read in any case; Insightly's casing on input is
/// unconfirmed, so a write follows how the account's own records spell them once one has been read.
/// </summary>
public sealed class ChoiceSpellingTests
{
    [Fact]
    public void A_value_the_account_was_seen_to_hold_is_written_exactly_as_it_held_it()
    {
        var account = Fixtures.Context();
        Read(Tasks.Resource, """{"TASK_ID": 1, "STATUS": "In progress"}""", account);

        Equal("""{"STATUS": "In progress"}""", Update(Tasks.Resource, """{"status": "in_progress"}""", account).Body);
    }

    [Theory]
    [InlineData("In Progress", "completed", "Completed")]
    [InlineData("in progress", "not_started", "not started")]
    [InlineData("IN PROGRESS", "waiting", "WAITING")]
    public void A_value_not_seen_yet_takes_the_casing_the_seen_values_share(string seen, string written, string expected)
    {
        var account = Fixtures.Context();
        Read(Tasks.Resource, $$"""{"TASK_ID": 1, "STATUS": "{{seen}}"}""", account);

        Equal($$"""{"STATUS": "{{expected}}"}""", Update(Tasks.Resource, $$"""{"status": "{{written}}"}""", account).Body);
    }

    [Fact]
    public void Values_seen_in_no_common_casing_leave_the_others_as_documented()
    {
        var account = Fixtures.Context();
        Read(Projects.Resource, """{"PROJECT_ID": 1, "STATUS": "In Progress"}""", account);
        Read(Projects.Resource, """{"PROJECT_ID": 2, "STATUS": "COMPLETED"}""", account);

        Equal("""{"STATUS": "DEFERRED"}""", Update(Projects.Resource, """{"status": "deferred"}""", account).Body);
        Equal("""{"STATUS": "In Progress"}""", Update(Projects.Resource, """{"status": "in_progress"}""", account).Body);
    }

    [Fact]
    public void An_opportunity_state_change_and_a_bid_type_follow_the_accounts_spelling_too()
    {
        var account = Fixtures.Context();
        Read(Opportunities.Resource, """{"OPPORTUNITY_ID": 1, "OPPORTUNITY_STATE": "Open", "BID_TYPE": "per month", "BID_AMOUNT": 5}""", account);

        var plan = Update(Opportunities.Resource, """{"status": "won", "amount": 100}""", account);

        Equal("""[{"part": "status", "method": "PUT", "path": "StateChange", "body": {"FOR_OPPORTUNITY_STATE": "Won"}}]""", FollowUps(plan));
        Assert.Equal("fixed bid", plan.Body["BID_TYPE"]!.GetValue<string>());
    }

    [Fact]
    public void What_one_account_holds_does_not_change_how_another_is_written()
    {
        var first = Fixtures.Context();
        Read(Tasks.Resource, """{"TASK_ID": 1, "STATUS": "Waiting"}""", first);

        Equal("""{"STATUS": "WAITING"}""", Update(Tasks.Resource, """{"status": "waiting"}""", Fixtures.Context()).Body);
    }

    [Fact]
    public void The_latest_spelling_seen_wins()
    {
        var spellings = new ChoiceSpellings();
        var statuses = (EnumMap)Tasks.Resource.Fields.Single(m => m.Fields.Any(f => f.Name == "status"));
        string[] documented = ["NOT STARTED", "IN PROGRESS", "COMPLETED", "DEFERRED", "WAITING"];

        spellings.Observe(statuses, 1, "In Progress");
        spellings.Observe(statuses, 1, "in progress");

        Assert.Equal(("in progress", "waiting"), (spellings.Spell(statuses, 1, documented), spellings.Spell(statuses, 4, documented)));
    }
}
