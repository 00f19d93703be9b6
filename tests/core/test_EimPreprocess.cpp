// lx::EimPreprocess against answers worked out by hand: a normalised separable Gaussian keeps a constant
// map constant and turns a delta into the outer product of its 1-D kernel; 'reflect' borders repeat the
// edge sample; the threshold zeroes the values below numpy's linear-interpolation quantile.
#include "TestSupport.h"

#include "lx/EimPreprocess.h"

#include <cmath>
#include <vector>

namespace {

// The 1-D kernel of standard deviation sigma, radius ceil(3 sigma), normalised to sum 1: g[i + radius].
std::vector<double> kernel(double sigma)
{
    const int radius = static_cast<int>(std::ceil(3.0 * sigma));
    std::vector<double> g;
    double total = 0.0;
    for (int i = -radius; i <= radius; ++i)
        total += g.emplace_back(std::exp(-0.5 * i * i / (sigma * sigma)));
    for (double& v : g)
        v /= total;
    return g;
}

} // namespace

class TestEimPreprocess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void constantStaysConstant()
    {
        const lx::Array maps({2, 7, 9}, std::vector<float>(2 * 7 * 9, 0.75f));
        const lx::Array s = lx::EimPreprocess::smooth(maps, 1.3);
        QCOMPARE(s.shape(), maps.shape());
        QVERIFY(lxtest::maxAbsDiff(s, maps) < 1e-6f);
        QVERIFY(lx::EimPreprocess::smooth(maps, 0.0) == maps);
    }

    void deltaBecomesTheKernel()
    {
        // A unit impulse in the middle of a 21 x 21 map, sigma 1 (radius 3): out(10 + i, 10 + j) = g_i g_j.
        lx::Array maps({1, 21, 21});
        maps.ptr()[10 * 21 + 10] = 1.0f;
        const lx::Array s = lx::EimPreprocess::smooth(maps, 1.0);
        const std::vector<double> g = kernel(1.0);
        double sum = 0.0;
        for (int y = 0; y < 21; ++y) {
            for (int x = 0; x < 21; ++x) {
                const int i = y - 10, j = x - 10;
                const double want = std::abs(i) <= 3 && std::abs(j) <= 3 ? g[size_t(i + 3)] * g[size_t(j + 3)] : 0.0;
                QVERIFY2(std::abs(s.ptr()[y * 21 + x] - want) < 1e-6, qPrintable(QString("(%1, %2)").arg(y).arg(x)));
                sum += s.ptr()[y * 21 + x];
            }
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
    }

    void bordersRepeatTheEdge()
    {
        // An impulse in the corner. 'reflect' maps index -1 to 0 and -2 to 1, so along each axis sample 0
        // reads the impulse through its taps 0 and -1, and sample 1 through its taps -1 and -2.
        lx::Array maps({1, 10, 10});
        maps.ptr()[0] = 1.0f;
        const lx::Array s = lx::EimPreprocess::smooth(maps, 1.0);
        const std::vector<double> g = kernel(1.0); // g[3] is the centre tap
        const double corner = g[3] + g[2]; // taps 0 and -1 (mirrored to 0)
        const double next = g[2] + g[1]; // from x = 1: taps -1 (x = 0) and -2 (mirrored to 0)
        QVERIFY(std::abs(s.ptr()[0] - corner * corner) < 1e-6);
        QVERIFY(std::abs(s.ptr()[1] - corner * next) < 1e-6);
        QVERIFY(std::abs(s.ptr()[10 + 1] - next * next) < 1e-6);
        // Nothing is lost at the border: the total stays 1.
        double sum = 0.0;
        for (float v : s.data())
            sum += v;
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
    }

    void thresholdAtTheQuantile()
    {
        // numpy.quantile([0..9], 0.5) = 4.5 (position 4.5 between 4 and 5): values below it become 0.
        std::vector<float> row(10);
        for (int i = 0; i < 10; ++i)
            row[size_t(i)] = float(9 - i); // order does not matter
        const lx::Array maps({2, 10}, [&] {
            std::vector<float> v = row;
            for (int i = 0; i < 10; ++i)
                v.push_back(float(10 * i)); // a second map: quantile 45
            return v;
        }());
        const lx::Array t = lx::EimPreprocess::threshold(maps, 0.5);
        const std::vector<float> want{9, 8, 7, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 60, 70, 80, 90};
        QCOMPARE(t.data(), want);
        // q = 0.25: position 2.25 -> 2.25; 0, 1 and 2 go.
        const lx::Array q = lx::EimPreprocess::threshold(maps, 0.25);
        QCOMPARE(q.row(0).data(), (std::vector<float>{9, 8, 7, 6, 5, 4, 3, 0, 0, 0}));
        QVERIFY(lx::EimPreprocess::threshold(maps, 0.0) == maps);
        LX_VERIFY_ERROR(lx::EimPreprocess::threshold(maps, 1.0), "threshold quantile must be in [0, 1)");
        LX_VERIFY_ERROR(lx::EimPreprocess::threshold(maps, -0.1), "threshold quantile must be in [0, 1)");
    }
};

QTEST_APPLESS_MAIN(TestEimPreprocess)
#include "test_EimPreprocess.moc"
