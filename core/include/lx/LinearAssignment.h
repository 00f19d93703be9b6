#pragma once
// Optimal one-to-one matching of rows to columns of a square score matrix (Hungarian algorithm, O(n^3)).
#include <vector>

namespace lx {

class LinearAssignment {
public:
    // score is n x n, row-major. Returns match[row] = column maximising the total score.
    static std::vector<int> maximize(const std::vector<double>& score, int n);
};

} // namespace lx
