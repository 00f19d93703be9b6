#include "TestSupport.h"

#include "lx/Array.h"

#include <cmath>
#include <limits>

class TestArray : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeAndSize()
    {
        lx::Array a({2, 3, 4});
        QCOMPARE(a.numel(), 24);
        QCOMPARE(a.rank(), 3);
        QCOMPARE(a.dim(1), 3);
        QCOMPARE(lx::Array::shapeString(a.shape()), std::string("[2, 3, 4]"));
        LX_VERIFY_ERROR(lx::Array({2, 2}, std::vector<float>(3)), "cannot hold 3 values");
        LX_VERIFY_ERROR(lx::Array({2, -1}), "negative size");
        LX_VERIFY_ERROR(a.dim(3), "axis 3 out of range");
    }
    void rowsAndReshape()
    {
        lx::Array a({3, 2}, {0, 1, 2, 3, 4, 5});
        QCOMPARE(a.rows(1, 3).data(), (std::vector<float>{2, 3, 4, 5}));
        QCOMPARE(a.row(2).shape(), (std::vector<int64_t>{2}));
        QCOMPARE(a.row(2).data(), (std::vector<float>{4, 5}));
        QCOMPARE(a.reshaped({2, 3}).shape(), (std::vector<int64_t>{2, 3}));
        LX_VERIFY_ERROR(a.reshaped({4}), "cannot reshape [3, 2] to [4]");
        LX_VERIFY_ERROR(a.rows(2, 4), "out of range");
    }
    void stack()
    {
        const lx::Array s = lx::Array::stack({lx::Array({2}, {1, 2}), lx::Array({2}, {3, 4})});
        QCOMPARE(s.shape(), (std::vector<int64_t>{2, 2}));
        QCOMPARE(s.data(), (std::vector<float>{1, 2, 3, 4}));
        LX_VERIFY_ERROR(lx::Array::stack({lx::Array({2}), lx::Array({3})}), "cannot stack");
    }
    void finiteCheck()
    {
        lx::Array a({3}, {0, 1, 2});
        a.requireFinite("z");
        a.data()[1] = std::numeric_limits<float>::quiet_NaN();
        LX_VERIFY_ERROR(a.requireFinite("Z.npy"), "Z.npy: contains NaN or Inf (at flat index 1)");
        a.data()[1] = std::numeric_limits<float>::infinity();
        LX_VERIFY_ERROR(a.requireFinite("Z.npy"), "NaN or Inf");
    }
};

QTEST_APPLESS_MAIN(TestArray)
#include "test_Array.moc"
