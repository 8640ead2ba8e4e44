namespace Mnemo.SelfConditioned;

/// <summary>
/// The Hungarian algorithm (Kuhn–Munkres with potentials, O(n²m)) for the minimum-cost assignment of the rows
/// of an n×m cost matrix (n ≤ m) to distinct columns.
/// </summary>
public static class Hungarian
{
    /// <summary>Returns assignment[row] = column minimising the total cost.</summary>
    public static int[] Solve(double[,] cost)
    {
        int n = cost.GetLength(0), m = cost.GetLength(1);
        if (n > m) throw new ArgumentException("the cost matrix needs at least as many columns as rows");
        // 1-based arrays; column 0 is a virtual column used to start each augmenting path.
        var u = new double[n + 1];
        var v = new double[m + 1];
        var match = new int[m + 1];   // match[column] = row (0: free)
        var way = new int[m + 1];
        for (int row = 1; row <= n; row++)
        {
            match[0] = row;
            int freeColumn = 0;
            var minv = Enumerable.Repeat(double.PositiveInfinity, m + 1).ToArray();
            var used = new bool[m + 1];
            do
            {
                used[freeColumn] = true;
                int i0 = match[freeColumn], next = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    double reduced = cost[i0 - 1, j - 1] - u[i0] - v[j];
                    if (reduced < minv[j]) { minv[j] = reduced; way[j] = freeColumn; }
                    if (minv[j] < delta) { delta = minv[j]; next = j; }
                }
                for (int j = 0; j <= m; j++)
                {
                    if (used[j]) { u[match[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                freeColumn = next;
            } while (match[freeColumn] != 0);
            do
            {
                int previous = way[freeColumn];
                match[freeColumn] = match[previous];
                freeColumn = previous;
            } while (freeColumn != 0);
        }
        var assignment = new int[n];
        for (int j = 1; j <= m; j++)
            if (match[j] != 0) assignment[match[j] - 1] = j - 1;
        return assignment;
    }

    public static double Cost(double[,] cost, int[] assignment) => assignment.Select((c, r) => cost[r, c]).Sum();
}
