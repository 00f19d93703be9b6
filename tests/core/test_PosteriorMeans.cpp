// lx::PosteriorMeans against the analytic autoencoder linear_ae.pt (tests/fixtures/make_fixtures.py):
// encode(x) = B x, so the posterior mean of every image is known without running the code under test.
// The passes of kChunkRows images show in the progress reports.
#include "TestSupport.h"

#include "lx/Model.h"
#include "lx/PosteriorMeans.h"

#include <utility>
#include <vector>

namespace {

// The encoder matrix of linear_ae.pt: encode(x) = B x for x flattened to 4 values.
const double kB[4][4] = {{0.5, 0.0, 1.0, 0.0}, {0.0, 1.0, 0.0, 0.5}, {0.25, 0.0, -1.0, 0.0}, {0.0, -0.5, 0.0, 2.0}};

// Image m (shape [1, 2, 2], 4 values), small whole numbers so that B x is exact in float.
float pixel(int64_t m, int64_t k) { return float((m * 7 + k * 3) % 11) - 5.0f; }

} // namespace

class TestPosteriorMeans : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void meansAreTheEncoderAppliedToEachImageInChunks()
    {
        auto model = lx::Model::load(lxtest::fixture("linear_ae.pt"), {lx::DeviceChoice::Cpu, 1});
        const int64_t rows = 2 * lx::PosteriorMeans::kChunkRows + 88; // two full passes and a short one
        lx::Array x({rows, 1, 2, 2});
        for (int64_t m = 0; m < rows; ++m)
            for (int64_t k = 0; k < 4; ++k)
                x.ptr()[m * 4 + k] = pixel(m, k);
        std::vector<std::pair<long long, long long>> reports;
        const lx::Array means = lx::PosteriorMeans::of(
            *model, x, [&](long long done, long long total) { reports.emplace_back(done, total); });
        QCOMPARE(means.shape(), (std::vector<int64_t>{rows, 4}));
        for (int64_t m = 0; m < rows; ++m) {
            for (int j = 0; j < 4; ++j) {
                double expected = 0.0;
                for (int k = 0; k < 4; ++k)
                    expected += kB[j][k] * pixel(m, k);
                QCOMPARE(double(means.ptr()[m * 4 + j]), expected);
            }
        }
        const std::vector<std::pair<long long, long long>> passes{{256, rows}, {512, rows}, {rows, rows}};
        QCOMPARE(reports, passes);
    }

    void cancelledBeforeAPassThrows()
    {
        auto model = lx::Model::load(lxtest::fixture("linear_ae.pt"), {lx::DeviceChoice::Cpu, 1});
        lx::CancelToken cancel;
        cancel.cancel();
        bool cancelled = false;
        try {
            lx::PosteriorMeans::of(*model, lx::Array({3, 1, 2, 2}), {}, &cancel);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
    }

    void noImagesIsAnError()
    {
        auto model = lx::Model::load(lxtest::fixture("linear_ae.pt"), {lx::DeviceChoice::Cpu, 1});
        LX_VERIFY_ERROR(lx::PosteriorMeans::of(*model, lx::Array({0, 1, 2, 2})), "expected images of shape [M, ...]");
    }
};

QTEST_GUILESS_MAIN(TestPosteriorMeans)
#include "test_PosteriorMeans.moc"
