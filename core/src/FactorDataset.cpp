#include "lx/FactorDataset.h"

#include "lx/Error.h"
#include "lx/ShapesDataset.h"

namespace lx {

FactorDataset::~FactorDataset() = default;

int64_t FactorDataset::factorCount() const { return static_cast<int64_t>(factorSizes().size()); }

int64_t FactorDataset::size() const { return Array::product(factorSizes()); }

void FactorDataset::checkIndex(int64_t index) const
{
    if (index < 0 || index >= size())
        throw Error(name() + ": index " + std::to_string(index) + " is outside [0, " + std::to_string(size()) + ")");
}

std::vector<int64_t> FactorDataset::factorsOf(int64_t index) const
{
    checkIndex(index);
    const std::vector<int64_t>& sizes = factorSizes();
    std::vector<int64_t> factors(sizes.size());
    for (size_t k = sizes.size(); k-- > 0;) {
        factors[k] = index % sizes[k];
        index /= sizes[k];
    }
    return factors;
}

int64_t FactorDataset::indexOf(const std::vector<int64_t>& factors) const
{
    const std::vector<int64_t>& sizes = factorSizes();
    if (factors.size() != sizes.size())
        throw Error(name() + ": expected " + std::to_string(sizes.size()) + " factor indices, got "
                    + std::to_string(factors.size()));
    int64_t index = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
        if (factors[k] < 0 || factors[k] >= sizes[k])
            throw Error(name() + ": factor " + factorNames()[k] + " index " + std::to_string(factors[k])
                        + " is outside [0, " + std::to_string(sizes[k]) + ")");
        index = index * sizes[k] + factors[k];
    }
    return index;
}

int64_t FactorDataset::factorIndex(const std::string& factorName) const
{
    const std::vector<std::string>& names = factorNames();
    for (size_t k = 0; k < names.size(); ++k) {
        if (names[k] == factorName)
            return static_cast<int64_t>(k);
    }
    return -1;
}

void FactorDataset::checkFactor(int64_t factor) const
{
    if (factor < 0 || factor >= factorCount())
        throw Error(name() + ": factor " + std::to_string(factor) + " is outside [0, " + std::to_string(factorCount())
                    + ")");
}

std::vector<double> FactorDataset::factorValues(int64_t factor) const
{
    checkFactor(factor);
    std::vector<double> values;
    for (int64_t i = 0; i < factorSizes()[size_t(factor)]; ++i)
        values.push_back(double(i));
    return values;
}

Array FactorDataset::factorTable(const std::vector<int64_t>& indices) const
{
    const int64_t count = factorCount();
    Array out({static_cast<int64_t>(indices.size()), count});
    for (size_t n = 0; n < indices.size(); ++n) {
        const std::vector<int64_t> factors = factorsOf(indices[n]);
        for (int64_t k = 0; k < count; ++k)
            out.ptr()[int64_t(n) * count + k] = static_cast<float>(factors[size_t(k)]);
    }
    return out;
}

std::vector<int64_t> FactorDataset::traversal(int64_t factor, int64_t baseIndex) const
{
    checkFactor(factor);
    std::vector<int64_t> factors = factorsOf(baseIndex);
    std::vector<int64_t> out;
    for (int64_t v = 0; v < factorSizes()[size_t(factor)]; ++v) {
        factors[size_t(factor)] = v;
        out.push_back(indexOf(factors));
    }
    return out;
}

std::vector<std::string> factorDatasetNames() { return {"lx-shapes"}; }

std::unique_ptr<FactorDataset> makeFactorDataset(const std::string& name)
{
    if (name == "lx-shapes")
        return std::make_unique<ShapesDataset>();
    std::string known;
    for (const std::string& n : factorDatasetNames())
        known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown dataset '" + name + "' (known datasets: " + known + ")");
}

} // namespace lx
