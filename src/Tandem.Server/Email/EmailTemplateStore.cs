using System.Data.Common;
using Dapper;
using Tandem.Domain.Email;

namespace Tandem.Server.Email;

/// <summary>A stored template.</summary>
internal sealed record EmailTemplateRow(long Id, string Name, string Kind, string? Topic, string Subject, string? Preheader, string BodyMarkdown,
    long CreatedAt, long UpdatedAt)
{
    public EmailKind EmailKind => Kind == EmailKinds.Transactional ? Email.EmailKind.Transactional : Email.EmailKind.Marketing;

    public EmailTemplateContent Content => new(Subject, Preheader, BodyMarkdown);
}

internal static class EmailKinds
{
    public const string Marketing = "marketing";
    public const string Transactional = "transactional";

    public static string Of(EmailKind kind) => kind == EmailKind.Transactional ? Transactional : Marketing;
}

internal static class EmailTemplateStore
{
    public static Task<EmailTemplateRow?> GetAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<EmailTemplateRow>("SELECT * FROM email_templates WHERE id = @id", new { id }, tx);

    public static async Task<IReadOnlyList<EmailTemplateRow>> ListAsync(DbConnection c) =>
        (await c.QueryAsync<EmailTemplateRow>("SELECT * FROM email_templates ORDER BY name, id")).ToList();
}
