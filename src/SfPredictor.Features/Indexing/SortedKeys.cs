namespace SfPredictor.Features.Indexing;

// The one search the indexes make in their sorted time arrays: activities, history rows, Accounts' closes.
internal static class SortedKeys
{
    // One past the last entry in [start, end) of sorted keys whose key is at or before t.
    public static int UpperBound(long[] keys, int start, int end, long t)
    {
        while (start < end)
        {
            var mid = (start + end) >>> 1;
            if (keys[mid] <= t)
            {
                start = mid + 1;
            }
            else
            {
                end = mid;
            }
        }

        return start;
    }
}
