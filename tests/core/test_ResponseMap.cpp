// Response maps (Leeb et al., NeurIPS 2022) on analytic autoencoders: the identity (u = 0) and
// scaled_ae (R(z) = a z, a = 0.5), whose field, divergence and curvature are known in closed form.
#include "TestSupport.h"

#include "lx/Model.h"
#include "lx/ResponseEngine.h"
#include "lx/ResponseMap.h"

#include <cmath>

namespace {

constexpr double kA = 0.5; // scaled_ae.pt: R(z) = kA z (tests/fixtures/make_response_fixtures.py)

float at(const lx::Array& a, int64_t row, int64_t col) { return a.ptr()[row * a.dim(1) + col]; }

// np.gradient along a line of n values (index units).
double npGradient(const std::vector<double>& f, int64_t i)
{
    const int64_t n = int64_t(f.size());
    if (i == 0)
        return f[1] - f[0];
    if (i == n - 1)
        return f[size_t(n - 1)] - f[size_t(n - 2)];
    return 0.5 * (f[size_t(i + 1)] - f[size_t(i - 1)]);
}

} // namespace

class TestResponseMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identityHasNoField()
    {
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        lx::ResponseMapOptions options;
        options.dimX = 2;
        options.dimY = 0;
        options.gridSize = 9;
        const lx::ResponseMapResult r =
            lx::responseMap(engine, lx::Array({4}, {0.3f, -1, 2, 0.5f}), options, lx::Array());
        for (const lx::Array* map : {&r.fieldX, &r.fieldY, &r.magnitude, &r.divergence, &r.curvature}) {
            QCOMPARE(map->shape(), (std::vector<int64_t>{9, 9}));
            for (float v : map->data())
                QCOMPARE(v, 0.0f);
        }
        QVERIFY(r.histogram.empty());
        QCOMPARE(r.base.data(), (std::vector<float>{0.3f, -1, 2, 0.5f}));
        QCOMPARE(int(r.axis.size()), 9);
        QCOMPARE(r.axis.front(), -2.0);
        QCOMPARE(r.axis.back(), 2.0);
        QCOMPARE(r.axis[4], 0.0);
    }
    void linearFieldDivergenceCurvature()
    {
        // R(z) = a z: u = (a - 1) (z_x, z_y) = (a - 1) (axis[col], axis[row]).
        auto m = lx::Model::load(lxtest::fixture("scaled_ae.pt"));
        lx::ResponseEngine engine(*m);
        engine.setChunkRows(100); // several passes over the 32 x 32 grid
        lx::ResponseMapOptions options;
        options.dimX = 1;
        options.dimY = 3;
        options.gridSize = 32;
        options.radius = 1.5;
        const int n = options.gridSize;
        const lx::ResponseMapResult r =
            lx::responseMap(engine, lx::Array({1, 4}, {0.7f, 9, -0.4f, 9}), options, lx::Array());
        const double delta = 2 * options.radius / (n - 1);
        for (int row = 0; row < n; ++row) {
            for (int col = 0; col < n; ++col) {
                const double x = -options.radius + col * delta, y = -options.radius + row * delta;
                QVERIFY(std::fabs(r.axis[size_t(col)] - x) < 1e-12);
                QVERIFY2(std::fabs(at(r.fieldX, row, col) - (kA - 1) * x) < 1e-6,
                         qPrintable(QString("u_x[%1, %2]").arg(row).arg(col)));
                QVERIFY2(std::fabs(at(r.fieldY, row, col) - (kA - 1) * y) < 1e-6,
                         qPrintable(QString("u_y[%1, %2]").arg(row).arg(col)));
                QVERIFY(std::fabs(at(r.magnitude, row, col) - std::fabs(kA - 1) * std::hypot(x, y)) < 1e-6);
                // Linear field: np.gradient is exact inside and at the borders: 2 (a - 1) delta per index.
                QVERIFY2(std::fabs(at(r.divergence, row, col) - 2 * (kA - 1) * delta) < 1e-5,
                         qPrintable(QString("div[%1, %2] = %3, want %4")
                                        .arg(row)
                                        .arg(col)
                                        .arg(at(r.divergence, row, col))
                                        .arg(2 * (kA - 1) * delta)));
            }
        }
        QVERIFY(at(r.divergence, 5, 7) < 0); // a < 1: a sink everywhere
        // Curvature: the unit field is -(x, y) / rho, its divergence -1 / rho per unit length, so
        // -1/2 div = delta / (2 rho) per grid index; exactly: -1/2 np.gradient of the closed-form unit field.
        const auto unit = [&](int row, int col, int component) {
            const double x = -options.radius + col * delta, y = -options.radius + row * delta;
            return -(component == 0 ? x : y) / std::hypot(x, y);
        };
        for (int row = 0; row < n; ++row) {
            for (int col = 0; col < n; ++col) {
                std::vector<double> lineX, lineY;
                for (int k = 0; k < n; ++k) {
                    lineX.push_back(unit(row, k, 0));
                    lineY.push_back(unit(k, col, 1));
                }
                const double want = -0.5 * (npGradient(lineX, col) + npGradient(lineY, row));
                QVERIFY2(std::fabs(at(r.curvature, row, col) - want) < 1e-5,
                         qPrintable(QString("curvature[%1, %2] = %3, want %4")
                                        .arg(row)
                                        .arg(col)
                                        .arg(at(r.curvature, row, col))
                                        .arg(want)));
                const double x = -options.radius + col * delta, y = -options.radius + row * delta,
                             rho = std::hypot(x, y);
                if (rho > 1.0 && row > 0 && col > 0 && row < n - 1 && col < n - 1)
                    QVERIFY(std::fabs(at(r.curvature, row, col) - delta / (2 * rho)) < 0.03 * delta / (2 * rho));
            }
        }
        // The other dimensions stay at the base point's values; they do not enter the (1, 3) slice.
        QCOMPARE(r.base.data(), (std::vector<float>{0.7f, 9, -0.4f, 9}));
    }
    void histogramCountsThePointsInside()
    {
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        lx::ResponseMapOptions options;
        options.gridSize = 8; // 4 x 4 bins of width 1 over [-2, 2]^2
        // (x, y) = dims 0 and 1; dims 2, 3 are ignored.
        const lx::Array means({7, 4}, {-1.9f, 1.9f,  5, 5, // row 3 (top), column 0
                                       0.5f,  -0.5f, 0, 0, // row 1, column 2
                                       2.0f,  -2.0f, 0, 0, // on the edges: last column, first row
                                       0.5f,  -0.2f, 0, 0, // row 1, column 2 again
                                       2.5f,  0,     0, 0, // outside: not counted
                                       0,     -3,    0, 0, // outside
                                       -2.0f, 0.0f,  0, 0}); // column 0, row 2 (0 is the left edge of bin 2)
        const lx::ResponseMapResult r = lx::responseMap(engine, lx::Array({4}), options, means);
        QCOMPARE(r.histogram.shape(), (std::vector<int64_t>{4, 4}));
        float total = 0;
        for (float v : r.histogram.data())
            total += v;
        QCOMPARE(total, 5.0f);
        QCOMPARE(at(r.histogram, 3, 0), 1.0f);
        QCOMPARE(at(r.histogram, 1, 2), 2.0f);
        QCOMPARE(at(r.histogram, 0, 3), 1.0f);
        QCOMPARE(at(r.histogram, 2, 0), 1.0f);
        // Many points: the counts sum to the number inside.
        std::vector<float> xs, ys;
        int inside = 0;
        for (int k = 0; k < 500; ++k) {
            xs.push_back(float(std::sin(k * 1.3) * 2.6));
            ys.push_back(float(std::cos(k * 0.7) * 2.3));
            inside += std::fabs(xs.back()) <= 2 && std::fabs(ys.back()) <= 2;
        }
        const lx::Array h = lx::histogram2d(xs, ys, 10, 2.0);
        float sum = 0;
        for (float v : h.data())
            sum += v;
        QCOMPARE(int(sum), inside);
        QVERIFY(inside > 100 && inside < 500);
    }
    void gradientSemantics()
    {
        // f_x = col^2, f_y = 3 row: d/dcol = 2 col inside, 1 at col 0, 2n - 3 at col n - 1; d/drow = 3.
        const int n = 6;
        lx::Array fx({n, n}), fy({n, n});
        for (int row = 0; row < n; ++row) {
            for (int col = 0; col < n; ++col) {
                fx.ptr()[row * n + col] = float(col * col);
                fy.ptr()[row * n + col] = float(3 * row);
            }
        }
        const lx::Array div = lx::gridDivergence(fx, fy);
        for (int row = 0; row < n; ++row) {
            QCOMPARE(at(div, row, 0), 1.0f + 3.0f);
            QCOMPARE(at(div, row, 2), 4.0f + 3.0f);
            QCOMPARE(at(div, row, n - 1), float(2 * n - 3) + 3.0f);
        }
        // Curvature of a constant field is 0; a zero vector's unit vector is 0 (no NaN).
        lx::Array zero({n, n});
        const lx::Array flat = lx::gridMeanCurvature(zero, zero);
        for (float v : flat.data())
            QCOMPARE(v, 0.0f);
        LX_VERIFY_ERROR(lx::gridDivergence(lx::Array({3, 4}), lx::Array({3, 4})), "expected two [n, n] fields");
    }
    void progressAndCancel()
    {
        auto m = lx::Model::load(lxtest::fixture("scaled_ae.pt"));
        lx::ResponseEngine engine(*m);
        engine.setChunkRows(10);
        lx::ResponseMapOptions options;
        options.gridSize = 5; // 25 points: passes of 10, 10, 5
        std::vector<long long> done;
        lx::responseMap(engine, lx::Array({4}), options, lx::Array(), [&](long long d, long long total) {
            QCOMPARE(total, 25LL);
            done.push_back(d);
        });
        QCOMPARE(done, (std::vector<long long>{0, 10, 20, 25}));
        lx::CancelToken token;
        token.cancel();
        bool cancelled = false;
        try {
            lx::responseMap(engine, lx::Array({4}), options, lx::Array(), {}, &token);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
    }
    void badInput()
    {
        auto m = lx::Model::load(lxtest::fixture("scaled_ae.pt"));
        lx::ResponseEngine engine(*m);
        const lx::Array base({4});
        lx::ResponseMapOptions options;
        options.dimY = 0;
        LX_VERIFY_ERROR(lx::responseMap(engine, base, options, lx::Array()),
                        "two different values in [0, 4), got 0 and 0");
        options.dimY = 4;
        LX_VERIFY_ERROR(lx::responseMap(engine, base, options, lx::Array()), "got 0 and 4");
        options.dimY = 1;
        options.gridSize = 1;
        LX_VERIFY_ERROR(lx::responseMap(engine, base, options, lx::Array()), "grid size must be >= 2");
        options.gridSize = 4;
        options.radius = 0;
        LX_VERIFY_ERROR(lx::responseMap(engine, base, options, lx::Array()), "radius must be > 0");
        options.radius = 1;
        LX_VERIFY_ERROR(lx::responseMap(engine, lx::Array({2, 4}), options, lx::Array()),
                        "the base point must hold one latent of 4 values, got shape [2, 4]");
        LX_VERIFY_ERROR(lx::responseMap(engine, lx::Array({5}), options, lx::Array()), "got shape [5]");
        QCOMPARE(lx::responseMap(engine, lx::Array({4, 1, 1}), options, lx::Array()).base.shape(),
                 (std::vector<int64_t>{4}));
        LX_VERIFY_ERROR(lx::responseMap(engine, base, options, lx::Array({3, 5})), "posterior means must be [M, 4]");
        lx::Array nan({4});
        nan.data()[1] = NAN;
        LX_VERIFY_ERROR(lx::responseMap(engine, nan, options, lx::Array()), "base point: contains NaN");
    }
};

QTEST_APPLESS_MAIN(TestResponseMap)
#include "test_ResponseMap.moc"
