// lx-shapes, the procedural dSprites-style dataset: indexing, determinism and real pixel geometry.
#include "TestSupport.h"

#include "lx/FactorDataset.h"
#include "lx/ShapesDataset.h"

#include <cmath>

namespace {

constexpr int kSide = 64;
constexpr int64_t kShape = 0, kScale = 1, kOrientation = 2, kPosX = 3, kPosY = 4;

struct Moments {
    double area = 0, cx = 0, cy = 0; // sum of pixel values; centroid in pixel coordinates (centre = +0.5)
};

Moments momentsOf(const lx::Array& images, int64_t n)
{
    Moments m;
    const float* p = images.ptr() + n * kSide * kSide;
    for (int row = 0; row < kSide; ++row) {
        for (int col = 0; col < kSide; ++col) {
            const double v = p[row * kSide + col];
            m.area += v;
            m.cx += v * (col + 0.5);
            m.cy += v * (row + 0.5);
        }
    }
    m.cx /= m.area;
    m.cy /= m.area;
    return m;
}

lx::Array imageOf(const lx::ShapesDataset& data, std::vector<int64_t> factors)
{
    return data.images({data.indexOf(factors)});
}

} // namespace

class TestShapesDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void factorsAndSize()
    {
        const lx::ShapesDataset data;
        QCOMPARE(data.name(), std::string("lx-shapes"));
        QCOMPARE(data.factorNames(), (std::vector<std::string>{"shape", "scale", "orientation", "pos_x", "pos_y"}));
        QCOMPARE(data.factorSizes(), (std::vector<int64_t>{3, 6, 16, 16, 16}));
        QCOMPARE(data.size(), int64_t(73728));
        QCOMPARE(data.imageShape(), (std::vector<int64_t>{1, 64, 64}));
        QCOMPARE(data.factorIndex("pos_x"), int64_t(3));
        QCOMPARE(data.factorIndex("colour"), int64_t(-1));
        const std::vector<double> scales = data.factorValues(kScale);
        QCOMPARE(int(scales.size()), 6);
        QCOMPARE(scales.front(), 0.5);
        QCOMPARE(scales.back(), 1.0);
        QVERIFY(std::fabs(scales[1] - 0.6) < 1e-12);
        const std::vector<double> angles = data.factorValues(kOrientation);
        QVERIFY(std::fabs(angles[4] - M_PI / 2) < 1e-12 && std::fabs(angles[15] - 2 * M_PI * 15 / 16) < 1e-12);
        QCOMPARE(data.factorValues(kPosY).back(), 1.0);
        QCOMPARE(lx::ShapesDataset::shapeNames(), (std::vector<std::string>{"square", "ellipse", "heart"}));
        LX_VERIFY_ERROR(data.factorValues(5), "factor 5 is outside [0, 5)");
    }
    void indexRoundTrip()
    {
        const lx::ShapesDataset data;
        // Mixed radix, last factor fastest.
        QCOMPARE(data.indexOf({1, 2, 3, 4, 5}), int64_t((((1 * 6 + 2) * 16 + 3) * 16 + 4) * 16 + 5));
        QCOMPARE(data.factorsOf(1), (std::vector<int64_t>{0, 0, 0, 0, 1}));
        QCOMPARE(data.factorsOf(16), (std::vector<int64_t>{0, 0, 0, 1, 0}));
        QCOMPARE(data.factorsOf(73727), (std::vector<int64_t>{2, 5, 15, 15, 15}));
        for (int64_t i = 0; i < data.size(); ++i) {
            if (data.indexOf(data.factorsOf(i)) != i)
                QFAIL(qPrintable(QString("index %1 does not round-trip").arg(i)));
        }
        const lx::Array table = data.factorTable({0, 73727, data.indexOf({1, 2, 3, 4, 5})});
        QCOMPARE(table.shape(), (std::vector<int64_t>{3, 5}));
        QCOMPARE(table.data(), (std::vector<float>{0, 0, 0, 0, 0, 2, 5, 15, 15, 15, 1, 2, 3, 4, 5}));
        LX_VERIFY_ERROR(data.factorsOf(73728), "index 73728 is outside [0, 73728)");
        LX_VERIFY_ERROR(data.factorsOf(-1), "outside");
        LX_VERIFY_ERROR(data.indexOf({0, 6, 0, 0, 0}), "factor scale index 6 is outside [0, 6)");
        LX_VERIFY_ERROR(data.indexOf({0, 0, 0}), "expected 5 factor indices, got 3");
        LX_VERIFY_ERROR(data.images({5, 80000}), "index 80000");
    }
    void traversal()
    {
        const lx::ShapesDataset data;
        const int64_t base = data.indexOf({2, 3, 7, 9, 11});
        const std::vector<int64_t> t = data.traversal(kOrientation, base);
        QCOMPARE(int(t.size()), 16);
        for (int64_t v = 0; v < 16; ++v)
            QCOMPARE(data.factorsOf(t[size_t(v)]), (std::vector<int64_t>{2, 3, v, 9, 11}));
        QCOMPARE(t[1] - t[0], int64_t(256)); // the stride of orientation
        const std::vector<int64_t> shapes = data.traversal(kShape, base);
        QCOMPARE(int(shapes.size()), 3);
        QVERIFY(std::find(shapes.begin(), shapes.end(), base) != shapes.end());
        LX_VERIFY_ERROR(data.traversal(7, 0), "factor 7 is outside");
    }
    void factoryKnowsTheDatasets()
    {
        QCOMPARE(lx::factorDatasetNames(), (std::vector<std::string>{"lx-shapes"}));
        const auto data = lx::makeFactorDataset("lx-shapes");
        QCOMPARE(data->size(), int64_t(73728));
        LX_VERIFY_ERROR(lx::makeFactorDataset("dsprites"), "unknown dataset 'dsprites' (known datasets: lx-shapes)");
    }
    void deterministic()
    {
        const lx::ShapesDataset data;
        std::vector<int64_t> many;
        for (int64_t i = 0; i < 1000; ++i)
            many.push_back((i * 7919) % data.size());
        const lx::Array a = data.images(many); // rendered on several threads
        QCOMPARE(a.shape(), (std::vector<int64_t>{1000, 1, 64, 64}));
        QCOMPARE(lx::ShapesDataset().images(many), a);
        for (int64_t n : {0, 1, 517, 999}) {
            const lx::Array one = data.images({many[size_t(n)]}); // one image, on this thread
            QCOMPARE(one.data(), a.row(n).data());
        }
        // Values are coverage fractions of 4x4 sample points: multiples of 1/16 in [0, 1].
        for (float v : a.data()) {
            if (!(v >= 0.0f && v <= 1.0f && std::fabs(v * 16 - std::round(v * 16)) < 1e-6f))
                QFAIL(qPrintable(QString("pixel value %1 is not k/16").arg(v)));
        }
        QCOMPARE(data.images({}).shape(), (std::vector<int64_t>{0, 1, 64, 64}));
    }
    void squareAreaGrowsWithScaleSquared()
    {
        const lx::ShapesDataset data;
        const std::vector<double> scales = data.factorValues(kScale);
        for (int64_t s = 0; s < 6; ++s) {
            const Moments m = momentsOf(imageOf(data, {0, s, 0, 7, 7}), 0);
            // Side 2 * 14 * scale / sqrt(2), area 2 * (14 scale)^2 pixels. With 4 sample points per pixel
            // and axis, an axis-aligned side is measured within one sample spacing (1/4 pixel).
            const double side = 2.0 * 14.0 * scales[size_t(s)] / std::sqrt(2.0);
            QVERIFY2(
                m.area >= std::pow(side - 0.25, 2) && m.area <= std::pow(side + 0.25, 2),
                qPrintable(QString("scale %1: area %2, want %3").arg(scales[size_t(s)]).arg(m.area).arg(side * side)));
        }
        // The ellipse's area is pi * a * b = pi * 14 s * 7 s.
        const Moments e = momentsOf(imageOf(data, {1, 5, 3, 7, 7}), 0);
        QVERIFY(std::fabs(e.area - M_PI * 14 * 7) < 0.01 * M_PI * 14 * 7);
    }
    void centroidFollowsPosition()
    {
        const lx::ShapesDataset data;
        for (int64_t shape : {0, 1}) { // point-symmetric shapes: the centroid is the centre
            for (int64_t px : {0, 5, 15}) {
                for (int64_t py : {0, 9, 15}) {
                    const Moments m = momentsOf(imageOf(data, {shape, 2, 3, px, py}), 0);
                    const double cx = 16 + 32 * px / 15.0, cy = 16 + 32 * py / 15.0;
                    QVERIFY2(std::fabs(m.cx - cx) < 0.05 && std::fabs(m.cy - cy) < 0.05,
                             qPrintable(QString("shape %1 at (%2, %3): centroid (%4, %5), want (%6, %7)")
                                            .arg(shape)
                                            .arg(px)
                                            .arg(py)
                                            .arg(m.cx)
                                            .arg(m.cy)
                                            .arg(cx)
                                            .arg(cy)));
                }
            }
        }
        // The heart's lobes are on top at orientation 0 (centroid above the centre, smaller row) and
        // at the bottom when rotated by 180 degrees.
        const double cy = 16 + 32 * 7 / 15.0;
        QVERIFY(momentsOf(imageOf(data, {2, 5, 0, 7, 7}), 0).cy < cy - 0.3); // 0.49 px analytically
        QVERIFY(momentsOf(imageOf(data, {2, 5, 8, 7, 7}), 0).cy > cy + 0.3);
    }
    void rotationsByNinetyDegrees()
    {
        const lx::ShapesDataset data;
        for (int64_t k = 0; k < 4; ++k) {
            // A square rotated by 90 degrees is the same square.
            QCOMPARE(imageOf(data, {0, 4, k + 4, 3, 12}), imageOf(data, {0, 4, k, 3, 12}));
            QCOMPARE(imageOf(data, {0, 4, k + 8, 3, 12}), imageOf(data, {0, 4, k, 3, 12}));
        }
        // Not trivially: 45 degrees is a different image with the same area.
        const lx::Array a = imageOf(data, {0, 4, 0, 3, 12}), b = imageOf(data, {0, 4, 2, 3, 12});
        QVERIFY(lxtest::maxAbsDiff(a, b) > 0.5f);
        const double want = 2.0 * std::pow(14.0 * 0.9, 2);
        QVERIFY2(std::fabs(momentsOf(b, 0).area - want) < 0.02 * want,
                 qPrintable(QString::number(momentsOf(b, 0).area)));
        // An ellipse centred on the diagonal, rotated by 90 degrees, is its transpose (long axis vertical).
        const lx::Array h = imageOf(data, {1, 5, 0, 6, 6}), v = imageOf(data, {1, 5, 4, 6, 6});
        for (int row = 0; row < kSide; ++row) {
            for (int col = 0; col < kSide; ++col)
                QCOMPARE(v.ptr()[row * kSide + col], h.ptr()[col * kSide + row]);
        }
        QVERIFY(lxtest::maxAbsDiff(h, v) > 0.5f);
    }
    void shapesStayInsideTheFrame()
    {
        const lx::ShapesDataset data;
        std::vector<int64_t> extreme;
        for (int64_t shape = 0; shape < 3; ++shape) {
            for (int64_t o = 0; o < 16; ++o) {
                for (int64_t px : {0, 15}) {
                    for (int64_t py : {0, 15})
                        extreme.push_back(data.indexOf({shape, 5, o, px, py}));
                }
            }
        }
        const lx::Array x = data.images(extreme);
        for (int64_t n = 0; n < x.dim(0); ++n) {
            const float* p = x.ptr() + n * kSide * kSide;
            double area = 0;
            for (int i = 0; i < kSide * kSide; ++i)
                area += p[i];
            QVERIFY(area > 100);
            for (int k = 0; k < kSide; ++k) {
                for (int line : {0, 1, kSide - 2, kSide - 1}) {
                    if (p[line * kSide + k] != 0.0f || p[k * kSide + line] != 0.0f)
                        QFAIL(qPrintable(
                            QString("image %1 touches the border at line %2").arg(extreme[size_t(n)]).arg(line)));
                }
            }
        }
    }
    void shapesDiffer()
    {
        const lx::ShapesDataset data;
        const lx::Array square = imageOf(data, {0, 5, 1, 7, 7}), ellipse = imageOf(data, {1, 5, 1, 7, 7}),
                        heart = imageOf(data, {2, 5, 1, 7, 7});
        QVERIFY(lxtest::maxAbsDiff(square, ellipse) > 0.9f);
        QVERIFY(lxtest::maxAbsDiff(square, heart) > 0.9f);
        QVERIFY(lxtest::maxAbsDiff(ellipse, heart) > 0.9f);
        // Fully covered pixels inside, empty ones outside, partial ones only on the edge.
        QCOMPARE(square.ptr()[37 * kSide + 33], 1.0f);
        QCOMPARE(square.ptr()[2 * kSide + 2], 0.0f);
    }
};

QTEST_APPLESS_MAIN(TestShapesDataset)
#include "test_ShapesDataset.moc"
