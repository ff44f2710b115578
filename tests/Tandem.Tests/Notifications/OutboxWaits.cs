using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Notifications;

/// <summary>Conditions on the outbox that tests wait for instead of sleeping.</summary>
public static class OutboxWaits
{
    /// <summary>Notifications not yet fanned out to their destinations, plus deliveries whose outcome is not yet recorded.</summary>
    public static Task<long> UnsettledAsync(this Database db) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT (SELECT COUNT(*) FROM notifications WHERE processed_at IS NULL) + " +
            "(SELECT COUNT(*) FROM notification_deliveries WHERE status = 'pending')"), TestContext.Current.CancellationToken);

    /// <summary>
    /// Waits until every notification has been fanned out and every delivery has its outcome recorded. A delivery is
    /// recorded only after its receiver answered, so (with one server sending) nothing is still in flight from then on.
    /// </summary>
    public static Task UntilEveryDeliverySettledAsync(this Database db) =>
        Poll.UntilAsync(db.UnsettledAsync, unsettled => unsettled == 0, "every notification is fanned out and every delivery has settled");
}
