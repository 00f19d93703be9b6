#include "lx/LinearAssignment.h"

#include "lx/Error.h"

#include <limits>

namespace lx {

std::vector<int> LinearAssignment::maximize(const std::vector<double>& score, int n)
{
    if (n < 0 || score.size() != static_cast<size_t>(n) * static_cast<size_t>(n))
        throw Error("assignment: score matrix must be n x n");
    // Minimise cost = -score with the potentials formulation (1-based arrays, row 0 is a sentinel).
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0);
    std::vector<int> p(n + 1, 0), way(n + 1, 0);
    for (int i = 1; i <= n; ++i) {
        p[0] = i;
        int j0 = 0;
        std::vector<double> minv(n + 1, inf);
        std::vector<bool> used(n + 1, false);
        do {
            used[j0] = true;
            const int i0 = p[j0];
            double delta = inf;
            int j1 = 0;
            for (int j = 1; j <= n; ++j) {
                if (used[j])
                    continue;
                const double cur = -score[static_cast<size_t>((i0 - 1) * n + (j - 1))] - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (int j = 0; j <= n; ++j) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            const int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    std::vector<int> match(static_cast<size_t>(n), -1);
    for (int j = 1; j <= n; ++j)
        if (p[j] > 0)
            match[static_cast<size_t>(p[j] - 1)] = j - 1;
    return match;
}

} // namespace lx
