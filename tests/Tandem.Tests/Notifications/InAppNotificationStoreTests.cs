using Dapper;
using Tandem.Server.Notifications;
using Tandem.Server.Notifications.InApp;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Notifications;

/// <summary>The in-app channel's storage: written with the outbox row, as each user chose, read and unread per user.</summary>
public abstract class InAppNotificationStoreTests(DatabaseProvider provider)
{
    private const long Now = 1_764_000_000_000;

    private static Task<long> UserAsync(Database db, string name) => db.Write((c, tx) => c.ExecuteScalarAsync<long>(
        "INSERT INTO users (email, normalized_email, name, role, security_stamp, created_at, updated_at) " +
        "VALUES (@email, @upper, @name, 'sales_rep', 'x', @Now, @Now) RETURNING id",
        new { email = $"{name.ToLowerInvariant()}@t.example", upper = $"{name.ToUpperInvariant()}@T.EXAMPLE", name, Now }, tx));

    private static Task<long> PersonAsync(Database db, string first) => db.Write((c, tx) => c.ExecuteScalarAsync<long>(
        "INSERT INTO people (email, first_name, stage, stage_changed_at, created_at, updated_at) VALUES (@email, @first, 'MQL', @Now, @Now, @Now) RETURNING id",
        new { email = $"{first.ToLowerInvariant()}@acme.io", first, Now }, tx));

    private static object Assigned(long personId, string first, long ownerId) =>
        new { person = new { id = personId, firstName = first, email = $"{first.ToLowerInvariant()}@acme.io" }, owner = new { id = ownerId, name = "Riley" }, explanation = "round robin" };

    [Fact]
    public async Task A_notification_for_a_user_is_in_their_list_unread_and_nobody_elses()
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var (riley, jordan) = (await UserAsync(db, "Riley"), await UserAsync(db, "Jordan"));
        var ines = await PersonAsync(db, "Ines");

        await db.Write((c, tx) => Outbox.AddAsync(c, tx, Outbox.LeadAssigned, ines, riley, Assigned(ines, "Ines", riley), Now));

        var page = await db.Read(c => InAppNotifications.PageAsync(c, riley, unreadOnly: false, before: null));
        var item = Assert.Single(page.Items);
        Assert.Equal("New lead for you: Ines", item.Title);
        Assert.Equal($"/people/{ines}", item.Link);
        Assert.Equal(NotificationKinds.Assigned, item.Kind);
        Assert.False(item.Read);
        Assert.Equal(1, page.Unread);
        Assert.Empty((await db.Read(c => InAppNotifications.PageAsync(c, jordan, false, null))).Items);
    }

    [Fact]
    public async Task A_notification_whose_cause_rolled_back_never_reaches_the_list()
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var riley = await UserAsync(db, "Riley");
        var ines = await PersonAsync(db, "Ines");

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Write<long>(async (c, tx) =>
        {
            await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, ines, riley, Assigned(ines, "Ines", riley), Now);
            throw new InvalidOperationException("the assignment failed after the notification was written");
        }));

        Assert.Equal(0, await db.Read(c => InAppNotifications.UnreadAsync(c, riley)));
        Assert.Equal(0, await db.Read(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications")));
    }

    [Fact]
    public async Task Each_kind_goes_where_the_user_chose_in_the_app_by_email_both_or_neither()
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var riley = await UserAsync(db, "Riley");
        var ines = await PersonAsync(db, "Ines");
        await db.Write((c, tx) => NotificationPreferences.SaveAsync(c, tx, riley, new Dictionary<string, Channels>
        {
            [NotificationKinds.Assigned] = Channels.FromCode("email")!,
            [NotificationKinds.SlaReminder] = Channels.FromCode("in_app")!,
            [NotificationKinds.SlaBreach] = Channels.FromCode("none")!,
        }));

        var sent = new Dictionary<string, long>();
        await db.Write(async (c, tx) =>
        {
            sent["assigned"] = await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, ines, riley, Assigned(ines, "Ines", riley), Now);
            sent["reminder"] = await Outbox.AddJsonAsync(c, tx, SlaEvents.Reminder, ines, riley, """{"kind":"first_touch","percent":50,"policy":"Inbound","dueAt":"2025-11-24T17:00:00Z"}""", Now);
            sent["breach"] = await Outbox.AddJsonAsync(c, tx, SlaEvents.Breached, ines, riley, """{"kind":"decision","policy":"Inbound","action":"recorded"}""", Now);
            sent["replied"] = await Outbox.AddAsync(c, tx, Outbox.LeadReplied, ines, riley, new { reply = new { text = "Call me" } }, Now);
            return await OutboxFanOut.RunAsync(c, tx, emailEnabled: true, Now);
        });

        var inApp = (await db.Read(c => InAppNotifications.PageAsync(c, riley, false, null))).Items.Select(i => i.Event).Order().ToList();
        Assert.Equal([Outbox.LeadReplied, SlaEvents.Reminder], inApp);
        var emailed = await db.Read(async c => (await c.QueryAsync<long>(
            "SELECT notification_id FROM notification_deliveries WHERE channel = 'email' ORDER BY notification_id")).ToList());
        Assert.Equal(new[] { sent["assigned"], sent["replied"] }.Order(), emailed);

        var saved = await db.Read(c => NotificationPreferences.AllAsync(c, riley));
        Assert.Equal("email", saved[NotificationKinds.Assigned].Code);
        Assert.Equal("both", saved[NotificationKinds.Mentioned].Code);
    }

    [Fact]
    public async Task Read_unread_and_all_read_are_the_users_own_marks()
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var (riley, jordan) = (await UserAsync(db, "Riley"), await UserAsync(db, "Jordan"));
        var ines = await PersonAsync(db, "Ines");
        await db.Write(async (c, tx) =>
        {
            for (var i = 0; i < 3; i++) await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, ines, riley, Assigned(ines, "Ines", riley), Now + i);
            await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, ines, jordan, Assigned(ines, "Ines", jordan), Now);
        });
        var items = (await db.Read(c => InAppNotifications.PageAsync(c, riley, false, null))).Items;
        var jordans = Assert.Single((await db.Read(c => InAppNotifications.PageAsync(c, jordan, false, null))).Items);

        Assert.Equal($"/people/{ines}", await db.Write((c, tx) => InAppNotifications.MarkAsync(c, tx, riley, items[0].Id, read: true, Now)));
        Assert.Null(await db.Write((c, tx) => InAppNotifications.MarkAsync(c, tx, riley, jordans.Id, read: true, Now)));
        Assert.Equal(2, await db.Read(c => InAppNotifications.UnreadAsync(c, riley)));
        Assert.Equal(1, await db.Read(c => InAppNotifications.UnreadAsync(c, jordan)));
        var unreadOnly = await db.Read(c => InAppNotifications.PageAsync(c, riley, unreadOnly: true, null));
        Assert.DoesNotContain(unreadOnly.Items, i => i.Id == items[0].Id);

        await db.Write((c, tx) => InAppNotifications.MarkAsync(c, tx, riley, items[0].Id, read: false, Now));
        Assert.Equal(3, await db.Read(c => InAppNotifications.UnreadAsync(c, riley)));

        Assert.Equal(3, await db.Write((c, tx) => InAppNotifications.MarkAllReadAsync(c, tx, riley, Now)));
        Assert.Equal(0, await db.Read(c => InAppNotifications.UnreadAsync(c, riley)));
        Assert.Equal(1, await db.Read(c => InAppNotifications.UnreadAsync(c, jordan)));
    }

    [Fact]
    public async Task A_long_list_comes_in_pages_newest_first()
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        var riley = await UserAsync(db, "Riley");
        var people = new List<long>();
        for (var i = 0; i < InAppNotifications.PageSize + 5; i++) people.Add(await PersonAsync(db, $"Lead{i}"));
        await db.Write(async (c, tx) =>
        {
            foreach (var (p, i) in people.Select((p, i) => (p, i)))
                await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, p, riley, Assigned(p, $"Lead{i}", riley), Now + i);
        });

        var first = await db.Read(c => InAppNotifications.PageAsync(c, riley, false, null));
        Assert.Equal(InAppNotifications.PageSize, first.Items.Count);
        Assert.Equal($"New lead for you: Lead{people.Count - 1}", first.Items[0].Title);
        Assert.NotNull(first.Older);
        var second = await db.Read(c => InAppNotifications.PageAsync(c, riley, false, first.Older));
        Assert.Equal(5, second.Items.Count);
        Assert.Equal("New lead for you: Lead0", second.Items[^1].Title);
        Assert.Null(second.Older);
        Assert.Equal(people.Count, second.Unread);
    }
}

internal static class TestDatabaseCalls
{
    public static Task<T> Read<T>(this Database db, Func<System.Data.Common.DbConnection, Task<T>> read) => db.ReadAsync(read, TestContext.Current.CancellationToken);

    public static Task<T> Write<T>(this Database db, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<T>> work) =>
        db.WriteAsync(work, TestContext.Current.CancellationToken);

    public static Task Write(this Database db, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task> work) =>
        db.WriteAsync(work, TestContext.Current.CancellationToken);
}

public sealed class InAppNotificationStoreTestsOnSqlite() : InAppNotificationStoreTests(DatabaseProvider.Sqlite);

public sealed class InAppNotificationStoreTestsOnPostgres() : InAppNotificationStoreTests(DatabaseProvider.Postgres);
