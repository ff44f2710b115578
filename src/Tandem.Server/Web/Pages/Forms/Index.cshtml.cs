using Tandem.Server.Capture.Forms;
using Tandem.Server.Storage;
using Tandem.Server.Web.Forms;

namespace Tandem.Server.Web.Pages.Forms;

/// <summary>Every web form with the campaign it credits, how many submissions it has had and when the last came.</summary>
[FormEditorsOnly]
internal sealed class IndexModel(Database db) : TandemPageModel
{
    public IReadOnlyList<FormSummary> Forms { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Forms = await db.ReadAsync(FormSubmissions.ListAsync, ct);
}
