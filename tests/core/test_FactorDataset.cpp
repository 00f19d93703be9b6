// lx::FactorDataset's index arithmetic on a dataset of sizes [2, 3, 4] (last factor fastest), worked out
// by hand: index = (f0 * 3 + f1) * 4 + f2.
#include "TestSupport.h"

#include "lx/FactorDataset.h"

namespace {

class Tiny : public lx::FactorDataset {
public:
    std::string name() const override { return "tiny"; }
    const std::vector<std::string>& factorNames() const override { return mNames; }
    const std::vector<int64_t>& factorSizes() const override { return mSizes; }
    std::vector<int64_t> imageShape() const override { return {1, 1, 1}; }
    lx::Array images(const std::vector<int64_t>& indices) const override
    {
        std::vector<float> v;
        for (int64_t i : indices) {
            checkIndex(i);
            v.push_back(float(i));
        }
        return lx::Array({int64_t(indices.size()), 1, 1, 1}, v);
    }

private:
    std::vector<std::string> mNames{"colour", "shape", "size"};
    std::vector<int64_t> mSizes{2, 3, 4};
};

} // namespace

class TestFactorDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mixedRadix()
    {
        const Tiny d;
        QCOMPARE(d.factorCount(), int64_t(3));
        QCOMPARE(d.size(), int64_t(24));
        QCOMPARE(d.indexOf({1, 2, 3}), int64_t(23));
        QCOMPARE(d.indexOf({0, 1, 2}), int64_t(6));
        QCOMPARE(d.indexOf({1, 0, 1}), int64_t(13));
        QCOMPARE(d.factorsOf(13), (std::vector<int64_t>{1, 0, 1}));
        for (int64_t i = 0; i < d.size(); ++i)
            QCOMPARE(d.indexOf(d.factorsOf(i)), i);
        QCOMPARE(d.factorIndex("shape"), int64_t(1));
        QCOMPARE(d.factorIndex("hue"), int64_t(-1));
        QCOMPARE(d.factorValues(2), (std::vector<double>{0, 1, 2, 3}));
    }

    void traversalAndTable()
    {
        const Tiny d;
        // Factor 1 (shape) through index 13 = [1, 0, 1]: [1, s, 1] for s = 0, 1, 2.
        QCOMPARE(d.traversal(1, 13), (std::vector<int64_t>{13, 17, 21}));
        QCOMPARE(d.traversal(2, 13), (std::vector<int64_t>{12, 13, 14, 15}));
        QCOMPARE(d.traversal(0, 13), (std::vector<int64_t>{1, 13}));
        const lx::Array t = d.factorTable({23, 6});
        QCOMPARE(t.shape(), (std::vector<int64_t>{2, 3}));
        QCOMPARE(t.data(), (std::vector<float>{1, 2, 3, 0, 1, 2}));
    }

    void badIndices()
    {
        const Tiny d;
        LX_VERIFY_ERROR(d.factorsOf(24), "tiny: index 24 is outside [0, 24)");
        LX_VERIFY_ERROR(d.factorsOf(-1), "tiny: index -1 is outside [0, 24)");
        LX_VERIFY_ERROR(d.indexOf({1, 3, 0}), "tiny: factor shape index 3");
        LX_VERIFY_ERROR(d.indexOf({1, 2}), "tiny: expected 3 factor indices, got 2");
        LX_VERIFY_ERROR(d.traversal(3, 0), "tiny: factor 3 is outside [0, 3)");
        LX_VERIFY_ERROR(d.images({30}), "tiny: index 30 is outside [0, 24)");
    }
};

QTEST_APPLESS_MAIN(TestFactorDataset)
#include "test_FactorDataset.moc"
