// ModelFile (core/src/ModelFile.h, private to core) through its two public doors: Model::readCard, which
// reads the card from the zip without loading the module, and Model::load, which loads it with
// torch::jit::load. Both must refuse the same bad files with the same one-line reason, prefer an
// embedded card to a sidecar, and agree on the card they read.
#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/Card.h"
#include "lx/Model.h"
#include "lx/Runtime.h"

#include <zlib.h>

#include <cstdint>

using lxtest::fixture;

namespace {

void put16(std::string& s, uint16_t v)
{
    s += char(v & 0xff);
    s += char(v >> 8);
}

void put32(std::string& s, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s += char((v >> (8 * i)) & 0xff);
}

// A valid zip archive (stored, no compression) holding one member `name` with `data`, built from the
// APPNOTE layout: local header, data, central directory entry, end of central directory.
std::string storedZip(const std::string& name, const std::string& data)
{
    const uint32_t crc = uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
    std::string z;
    put32(z, 0x04034b50);
    put16(z, 20); // version needed
    put16(z, 0); // flags
    put16(z, 0); // stored
    put16(z, 0); // time
    put16(z, 0); // date
    put32(z, crc);
    put32(z, uint32_t(data.size()));
    put32(z, uint32_t(data.size()));
    put16(z, uint16_t(name.size()));
    put16(z, 0); // extra length
    z += name + data;
    const uint32_t centralAt = uint32_t(z.size());
    put32(z, 0x02014b50);
    put16(z, 20); // version made by
    put16(z, 20);
    put16(z, 0);
    put16(z, 0);
    put16(z, 0);
    put16(z, 0);
    put32(z, crc);
    put32(z, uint32_t(data.size()));
    put32(z, uint32_t(data.size()));
    put16(z, uint16_t(name.size()));
    put16(z, 0); // extra
    put16(z, 0); // comment
    put16(z, 0); // disk
    put16(z, 0); // internal attributes
    put32(z, 0); // external attributes
    put32(z, 0); // local header offset
    z += name;
    const uint32_t centralSize = uint32_t(z.size()) - centralAt;
    put32(z, 0x06054b50);
    put16(z, 0);
    put16(z, 0);
    put16(z, 1);
    put16(z, 1);
    put32(z, centralSize);
    put32(z, centralAt);
    put16(z, 0);
    return z;
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT

    QTemporaryDir mDir;
    std::string path(const char* name) const { return mDir.filePath(name).toStdString(); }

private Q_SLOTS:
    void handMadeZipIsAZip()
    {
        // The archive below must be a real zip for the "without TorchScript's records" case to mean
        // anything: check its layout against zlib's CRC and the signatures by hand.
        const std::string z = storedZip("data/x", "hello");
        QCOMPARE(z.substr(0, 4), std::string("PK\x03\x04", 4));
        QCOMPARE(z.substr(z.size() - 22, 4), std::string("PK\x05\x06", 4));
        QCOMPARE(z.substr(30, 11), std::string("data/xhello"));
    }

    void badFilesGiveTheSameReasonWithoutLoading_data()
    {
        QTest::addColumn<QByteArray>("bytes"); // empty: the path is a folder
        QTest::addColumn<QString>("reason");
        const std::string whole = lx::AtomicFile::read(fixture("tiny_gen.pt"));
        QTest::newRow("folder") << QByteArray() << "it is a directory, not a TorchScript file";
        QTest::newRow("empty") << QByteArray("") << "the file is empty";
        QTest::newRow("not a zip") << QByteArray(4096, '\x5a') << "not a readable TorchScript model (not a zip archive";
        const std::string half = whole.substr(0, whole.size() / 2);
        QTest::newRow("truncated") << QByteArray(half.data(), int(half.size()))
                                   << "not a readable TorchScript model (not a zip archive, or a truncated one)";
        const std::string zip = storedZip("archive/data.pkl", "not a pickle");
        QTest::newRow("zip without TorchScript")
            << QByteArray(zip.data(), int(zip.size()))
            << "not a readable TorchScript model (a zip archive without TorchScript's records)";
    }
    void badFilesGiveTheSameReasonWithoutLoading()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        std::string file = path(QTest::currentDataTag());
        if (bytes.isNull())
            QVERIFY(QDir().mkpath(QString::fromStdString(file)));
        else
            lx::AtomicFile::write(file, std::string(bytes.constData(), size_t(bytes.size())));
        const std::string part = reason.toStdString();
        LX_VERIFY_ERROR(lx::Model::readCard(file), part);
        LX_VERIFY_ERROR(lx::Model::load(file), part);
        // Every reason names the file it is about.
        QVERIFY(lxtest::contains(lxtest::errorOf([&] { lx::Model::readCard(file); }), file));
        LX_VERIFY_ERROR(lx::Model::readCard(path("missing.pt")),
                        "cannot open model " + path("missing.pt") + ": no such file");
    }

    void embeddedCardWinsOverASidecar()
    {
        // tiny_gen.pt embeds its card; a sidecar beside a copy, even a broken one, is not read.
        const std::string model = path("embedded.pt");
        lx::AtomicFile::write(model, lx::AtomicFile::read(fixture("tiny_gen.pt")));
        lx::AtomicFile::write(model + ".json", "{not json");
        const lx::Card card = lx::Model::readCard(model);
        QCOMPARE(card.latentShape, std::vector<int64_t>{4});
        QCOMPARE(lx::Model::load(model)->card().toJson(), card.toJson());
    }

    void sidecarCardIsReadWhenNoneIsEmbedded()
    {
        // dcgan_tutorial.pt carries no embedded card: its sidecar decides, for readCard and load alike.
        const std::string model = path("sidecar.pt");
        lx::AtomicFile::write(model, lx::AtomicFile::read(fixture("dcgan_tutorial.pt")));
        LX_VERIFY_ERROR(lx::Model::readCard(model),
                        model + ": no model card (embed latent_explorer.json in the archive or put " + model
                            + ".json beside it)");
        LX_VERIFY_ERROR(lx::Model::load(model), model + ": no model card");
        lx::AtomicFile::write(model + ".json",
                              R"({"kind":"generator","latent_shape":[100,1,1],"output_range":[0,1],"name":"side"})");
        const lx::Card card = lx::Model::readCard(model);
        QCOMPARE(card.name, std::string("side"));
        QCOMPARE(card.outputLow, 0.0);
        QCOMPARE(lx::Model::load(model)->card().toJson(), card.toJson());
        // A bad sidecar is reported with the model's path in front, by both.
        lx::AtomicFile::write(model + ".json", R"({"kind":"generator","latent_shape":[100,1,1]})");
        LX_VERIFY_ERROR(lx::Model::readCard(model), model + ": ");
        LX_VERIFY_ERROR(lx::Model::readCard(model), "output_range");
        LX_VERIFY_ERROR(lx::Model::load(model), "output_range");
    }

    void deviceChoice()
    {
        lx::LoadOptions cpu;
        cpu.device = lx::DeviceChoice::Cpu;
        QCOMPARE(lx::Model::load(fixture("tiny_gen.pt"), cpu)->deviceName(), std::string("cpu"));
        lx::LoadOptions cuda;
        cuda.device = lx::DeviceChoice::Cuda;
        const auto autoModel = lx::Model::load(fixture("tiny_gen.pt"));
        if (lx::Runtime::cudaAvailable()) {
            QCOMPARE(lx::Model::load(fixture("tiny_gen.pt"), cuda)->deviceName(), std::string("cuda:0"));
            QCOMPARE(autoModel->deviceName(), std::string("cuda:0"));
        } else {
            LX_VERIFY_ERROR(lx::Model::load(fixture("tiny_gen.pt"), cuda),
                            "--device cuda: this LibTorch build has no CUDA device available");
            QCOMPARE(autoModel->deviceName(), std::string("cpu"));
        }
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_ModelFile.moc"
