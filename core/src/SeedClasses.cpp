#include "lx/SeedClasses.h"

#include "lx/Error.h"

#include <vector>

namespace lx {

Array SeedClasses::forSeeds(const Card& card, uint64_t first, int64_t n)
{
    if (!card.conditional() || n <= 0)
        return Array();
    const uint64_t k = card.inputClasses.size();
    std::vector<float> classes(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        classes[size_t(i)] = static_cast<float>((first + uint64_t(i)) % k);
    return Array({n}, std::move(classes));
}

Array SeedClasses::forPairs(const Card& card, uint64_t first, int64_t pairs)
{
    const Array half = forSeeds(card, first, pairs);
    if (half.numel() == 0)
        return half;
    std::vector<float> classes = half.data();
    classes.insert(classes.end(), half.data().begin(), half.data().end());
    return Array({2 * pairs}, std::move(classes));
}

Array SeedClasses::repeated(const Card& card, int64_t index, int64_t n)
{
    if (!card.conditional())
        return Array();
    const int64_t k = static_cast<int64_t>(card.inputClasses.size());
    if (index < 0 || index >= k)
        throw Error("class " + std::to_string(index) + " is out of range [0, " + std::to_string(k) + ")");
    return Array({n}, std::vector<float>(static_cast<size_t>(n), static_cast<float>(index)));
}

} // namespace lx
