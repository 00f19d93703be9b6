// latent-explorer-cli directions and interpolate, end to end on the identity autoencoder (decode(z) = z
// reshaped), where both have closed forms: the directions are the PCA components of the latents and the
// interpolated images are the interpolated latents.
#include "CliRunner.h"

#include "lx/Exploration.h"
#include "lx/LatentSampler.h"
#include "lx/Npy.h"
#include "lx/PcaDirections.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using lxtest::cli;
using lxtest::fx;

class TestCliExplore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void directionsAreTheComponents()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("U.npy"));
        const auto run = cli({QStringLiteral("directions"), fx("identity_ae.pt"), QStringLiteral("--layer"),
                              QStringLiteral("decoder.0"), QStringLiteral("--samples"), QStringLiteral("400"),
                              QStringLiteral("--k"), QStringLiteral("2"), QStringLiteral("--out"), out});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(run.out).object();
        const lx::Array z = lx::LatentSampler({4}).sample(lx::LatentSampler::seedRange(0, 400));
        const lx::PcaResult p = lx::PcaDirections::pca(z, 2);
        QCOMPARE(j["sigma"].toArray().size(), 2);
        QVERIFY(std::abs(j["sigma"].toArray()[0].toDouble() - std::sqrt(p.variance[0])) < 1e-9);
        const lx::Array u = lx::Npy::read(out.toStdString());
        QCOMPARE(u.shape(), (std::vector<int64_t>{2, 4}));
        for (int64_t i = 0; i < u.numel(); ++i)
            QVERIFY(std::abs(u.ptr()[i] - p.components.ptr()[i]) < 1e-4);
        const auto bad = cli({QStringLiteral("directions"), fx("identity_ae.pt"), QStringLiteral("--layer"),
                              QStringLiteral("decoder.0"), QStringLiteral("--k"), QStringLiteral("0")});
        QCOMPARE(bad.code, 2);
    }

    void interpolateWritesThePathAndAGif()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("X.npy")), gif = dir.filePath(QStringLiteral("x.gif"));
        const auto run =
            cli({QStringLiteral("interpolate"), fx("identity_ae.pt"), QStringLiteral("--seeds"), QStringLiteral("3,9"),
                 QStringLiteral("--frames"), QStringLiteral("5"), QStringLiteral("--mode"), QStringLiteral("linear"),
                 QStringLiteral("--out"), out, QStringLiteral("--gif"), gif});
        QVERIFY2(run.code == 0, run.err.constData());
        const lx::Array x = lx::Npy::read(out.toStdString());
        const lx::LatentSampler sampler({4});
        const lx::Array path =
            lx::Exploration::interpolate(sampler.sample({3}), sampler.sample({9}), 5, lx::Interpolation::Linear);
        QCOMPARE(x.shape(), (std::vector<int64_t>{5, 1, 2, 2}));
        for (int64_t i = 0; i < x.numel(); ++i)
            QVERIFY(std::abs(x.ptr()[i] - path.ptr()[i]) < 1e-6);
        QVERIFY(QFileInfo(gif).size() > 0);
        QCOMPARE(cli({QStringLiteral("interpolate"), fx("identity_ae.pt"), QStringLiteral("--seeds"),
                      QStringLiteral("3"), QStringLiteral("--out"), out})
                     .code,
                 2);
        const auto badMode =
            cli({QStringLiteral("interpolate"), fx("identity_ae.pt"), QStringLiteral("--seeds"), QStringLiteral("3,4"),
                 QStringLiteral("--mode"), QStringLiteral("cubic"), QStringLiteral("--out"), out});
        QCOMPARE(badMode.code, 1);
        QVERIFY(badMode.err.contains("unknown interpolation 'cubic'"));
    }
};

QTEST_APPLESS_MAIN(TestCliExplore)
#include "test_CliExplore.moc"
