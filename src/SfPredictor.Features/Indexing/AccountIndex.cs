using SfPredictor.Records;

namespace SfPredictor.Features.Indexing;

// Accounts and owners: each Opportunity's Account and owner, the Account's size, and the closed
// outcomes of each Account and owner sorted by close time with running win counts, so "closed at or
// before T" is one binary search.
internal sealed class AccountIndex
{
    private readonly Dictionary<string, int> _accounts = new(SalesforceId.Comparer);

    public AccountIndex(OrgIndex index, IReadOnlyList<Account> accounts)
    {
        var records = new List<Account?>();
        var ids = new List<string>();
        foreach (var account in accounts)
        {
            if (_accounts.TryAdd(account.Id, records.Count))
            {
                records.Add(account);
                ids.Add(account.Id);
            }
        }

        var owners = new Dictionary<string, int>(SalesforceId.Comparer);
        AccountOf = new int[index.Count];
        OwnerOf = new int[index.Count];
        for (var i = 0; i < index.Count; i++)
        {
            var o = index.Opportunities[i];
            AccountOf[i] = -1;
            if (!string.IsNullOrEmpty(o.AccountId))
            {
                if (!_accounts.TryGetValue(o.AccountId, out AccountOf[i]))
                {
                    AccountOf[i] = records.Count;
                    _accounts[o.AccountId] = records.Count;
                    records.Add(null);
                    ids.Add(o.AccountId);
                }
            }

            OwnerOf[i] = -1;
            if (!string.IsNullOrEmpty(o.OwnerId) && !owners.TryGetValue(o.OwnerId, out OwnerOf[i]))
            {
                OwnerOf[i] = owners.Count;
                owners[o.OwnerId] = owners.Count;
            }
        }

        Records = [.. records];
        Ids = [.. ids];
        LogEmployees = new float[Records.Length];
        LogRevenue = new float[Records.Length];
        for (var a = 0; a < Records.Length; a++)
        {
            var account = Records[a];
            LogEmployees[a] = account?.NumberOfEmployees is { } e && e >= 0 ? (float)Math.Log(1 + e) : float.NaN;
            var revenue = account is null ? double.NaN
                : index.Convert(account.AnnualRevenue, account.Custom.GetValueOrDefault("CurrencyIsoCode"), $"Account {account.Id} AnnualRevenue");
            LogRevenue[a] = revenue >= 0 ? (float)Math.Log(1 + revenue) : float.NaN;
        }

        AccountOutcomes = new Outcomes(index, AccountOf, Records.Length);
        OwnerOutcomes = new Outcomes(index, OwnerOf, owners.Count);
    }

    // Per Opportunity: its Account's group, or -1.
    public int[] AccountOf { get; }

    // Per Opportunity: its owner's group, or -1.
    public int[] OwnerOf { get; }

    // Per Account group: the Account's Id.
    public string[] Ids { get; }

    // Per Account group: the record, or null when only referenced.
    public Account?[] Records { get; }

    public float[] LogEmployees { get; }

    public float[] LogRevenue { get; }

    public Outcomes AccountOutcomes { get; }

    public Outcomes OwnerOutcomes { get; }

    public int AccountGroup(string? accountId) =>
        accountId is not null && _accounts.TryGetValue(accountId, out var a) ? a : -1;

    internal sealed class Outcomes
    {
        private readonly long[][] _closes;
        private readonly int[][] _winsBefore;

        public Outcomes(OrgIndex index, int[] groupOf, int groups)
        {
            var lists = new List<(long Close, bool Won)>?[groups];
            for (var i = 0; i < groupOf.Length; i++)
            {
                if (groupOf[i] >= 0 && index.OutcomeTime[i] != OrgIndex.Never)
                {
                    (lists[groupOf[i]] ??= []).Add((index.OutcomeTime[i], index.OutcomeWon[i]));
                }
            }

            _closes = new long[groups][];
            _winsBefore = new int[groups][];
            for (var g = 0; g < groups; g++)
            {
                var list = lists[g] ?? [];
                list.Sort((a, b) => a.Close.CompareTo(b.Close));
                _closes[g] = [.. list.Select(x => x.Close)];
                _winsBefore[g] = new int[list.Count + 1];
                for (var k = 0; k < list.Count; k++)
                {
                    _winsBefore[g][k + 1] = _winsBefore[g][k] + (list[k].Won ? 1 : 0);
                }
            }
        }

        // Deals of the group closed at or before t, and how many were won.
        public (int Deals, int Wins) At(int group, long t)
        {
            if (group < 0)
            {
                return (0, 0);
            }

            var closes = _closes[group];
            var lo = SortedKeys.UpperBound(closes, 0, closes.Length, t);
            return (lo, _winsBefore[group][lo]);
        }
    }
}
