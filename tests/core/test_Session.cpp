// lx::Session: the session document's JSON round trip, the model path kept relative to the session file,
// the model's hash check, and one-line errors for files that are not (readable) sessions.
#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/Session.h"
#include "lx/Sha256.h"

#include <QTemporaryDir>

#include <nlohmann/json.hpp>

using lx::Session;

namespace {

lx::Session sample(const std::string& modelPath)
{
    Session s;
    s.modelPath = modelPath;
    s.modelSha256 = lx::Sha256::hex("model bytes");
    s.device = "cpu";
    s.layer = "main.5";
    s.seed1 = 12;
    s.seed2 = 4000000000ULL; // above 2^31: seeds are 64-bit
    s.class1 = 7;
    s.class2 = 2;
    s.classFromDonor = true;
    s.channels = {0, 3, 17};
    s.groups = {{"module 1", {0, 1, 2}}, {"eyes", {5}}};
    lx::Intervention scale;
    scale.op = lx::EditOp::Scale;
    scale.channels = {3, 17};
    scale.value = 1.5;
    lx::Intervention masked;
    masked.op = lx::EditOp::Set;
    masked.channels = {1};
    masked.value = -0.25;
    masked.enabled = false;
    masked.mask = {0.0f, 0.5f, 1.0f, 0.25f};
    masked.maskHeight = 2;
    masked.maskWidth = 2;
    s.edit.interventions = {scale, masked};
    s.modules = {"kmeans", 5, 0.5, 0.75, 9};
    s.viewJson = R"({"central_tab":1,"note":"x"})";
    return s;
}

std::string write(const QTemporaryDir& dir, const char* name, const std::string& text)
{
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    lx::AtomicFile::write(path, text);
    return path;
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        const std::string model = write(dir, "m.pt", "model bytes");
        const Session s = sample(model);
        const std::string path = dir.filePath("a.lxsession").toStdString();
        s.save(path);
        const Session t = Session::load(path);
        QCOMPARE(t.modelPath, model);
        QCOMPARE(t.modelSha256, s.modelSha256);
        QCOMPARE(t.device, std::string("cpu"));
        QCOMPARE(t.layer, std::string("main.5"));
        QCOMPARE(t.seed1, uint64_t(12));
        QCOMPARE(t.seed2, uint64_t(4000000000ULL));
        QCOMPARE(t.class1, 7);
        QCOMPARE(t.class2, 2);
        QVERIFY(t.classFromDonor);
        QCOMPARE(t.channels, s.channels);
        QCOMPARE(t.groups.size(), size_t(2));
        QCOMPARE(t.groups[1].name, std::string("eyes"));
        QCOMPARE(t.groups[1].channels, std::vector<int>{5});
        QCOMPARE(t.edit.toJson(), s.edit.toJson()); // ops, channels, values, enabled flags and the mask
        QCOMPARE(t.edit.interventions[1].mask, s.edit.interventions[1].mask);
        QCOMPARE(t.modules.method, std::string("kmeans"));
        QCOMPARE(t.modules.k, 5);
        QCOMPARE(t.modules.sigma, 0.5);
        QCOMPARE(t.modules.threshold, 0.75);
        QCOMPARE(t.modules.seed, uint64_t(9));
        QCOMPARE(nlohmann::json::parse(t.viewJson), nlohmann::json::parse(s.viewJson));
        // Saving what was loaded gives the same document.
        QCOMPARE(t.toJson(path), s.toJson(path));
        const auto doc = nlohmann::json::parse(lx::AtomicFile::read(path));
        QCOMPARE(doc["format"].get<std::string>(), std::string("latent-explorer-session"));
        QCOMPARE(doc["version"].get<int>(), 1);
    }

    void defaultsForMissingKeys()
    {
        const Session s =
            Session::fromJson(R"({"format": "latent-explorer-session", "version": 1, "model": {"path": "/m.pt"}})");
        QCOMPARE(s.modelPath, std::string("/m.pt"));
        QCOMPARE(s.seed1, uint64_t(1));
        QCOMPARE(s.seed2, uint64_t(2));
        QCOMPARE(s.class1, -1); // no classes: an unconditional model's session
        QVERIFY(!s.classFromDonor);
        QVERIFY(s.edit.isIdentity());
        QCOMPARE(s.modules.k, 3);
        QCOMPARE(s.viewJson, std::string("{}"));
    }

    void modelPathIsRelativeToTheSession()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("project/models")));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("project/sessions")));
        const std::string model = dir.filePath("project/models/m.pt").toStdString();
        lx::AtomicFile::write(model, "model bytes");
        const std::string path = dir.filePath("project/sessions/s.lxsession").toStdString();
        sample(model).save(path);
        const auto doc = nlohmann::json::parse(lx::AtomicFile::read(path));
        QCOMPARE(doc["model"]["path"].get<std::string>(), std::string("../models/m.pt"));
        QCOMPARE(doc["model"]["absolute_path"].get<std::string>(), model);

        // The folder moves: the relative path still finds the model, the old absolute one is gone.
        QVERIFY(QDir(dir.path()).rename(QStringLiteral("project"), QStringLiteral("moved")));
        const Session moved = Session::load(dir.filePath("moved/sessions/s.lxsession").toStdString());
        QCOMPARE(moved.modelPath, dir.filePath("moved/models/m.pt").toStdString());
        const lx::SessionModel found = moved.locateModel();
        QCOMPARE(found.path, moved.modelPath);
        QCOMPARE(found.sha256, lx::Sha256::hex("model bytes"));
        QVERIFY(found.warning.empty());

        // Only the session moves: the absolute path recorded at save time is the second place to look.
        QVERIFY(QDir(dir.path()).rename(QStringLiteral("moved"), QStringLiteral("project")));
        const std::string alone = dir.filePath("alone.lxsession").toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(path), QString::fromStdString(alone)));
        const Session single = Session::load(alone);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(single.modelPath))); // ../models/m.pt from here
        QCOMPARE(single.locateModel().path, model);

        // No session file yet: the path is written absolute.
        const auto unsaved = nlohmann::json::parse(sample(model).toJson());
        QCOMPARE(unsaved["model"]["path"].get<std::string>(), model);
    }

    void missingModelSaysWhereItLooked()
    {
        QTemporaryDir dir;
        const std::string model = write(dir, "m.pt", "model bytes");
        const std::string path = dir.filePath("s.lxsession").toStdString();
        sample(model).save(path);
        QVERIFY(QFile::remove(QString::fromStdString(model)));
        const Session s = Session::load(path); // the document itself is fine
        LX_VERIFY_ERROR(s.locateModel(), "model not found: looked for " + model);
    }

    void changedModelIsAWarning()
    {
        QTemporaryDir dir;
        const std::string model = write(dir, "m.pt", "model bytes");
        const std::string path = dir.filePath("s.lxsession").toStdString();
        sample(model).save(path);
        lx::AtomicFile::write(model, "other model bytes");
        const lx::SessionModel found = Session::load(path).locateModel();
        QCOMPARE(found.path, model);
        QCOMPARE(found.sha256, lx::Sha256::hex("other model bytes"));
        QVERIFY(lxtest::contains(found.warning, "differs from the one the session was saved with"));
        QVERIFY(found.warning.find('\n') == std::string::npos);
        // No recorded hash: nothing to compare, no warning.
        Session unhashed = Session::load(path);
        unhashed.modelSha256.clear();
        QVERIFY(unhashed.locateModel().warning.empty());
    }

    void badFiles()
    {
        QTemporaryDir dir;
        LX_VERIFY_ERROR(Session::load(dir.filePath("none.lxsession").toStdString()), "no such file");
        LX_VERIFY_ERROR(Session::load(write(dir, "garbled.lxsession", "{\"format\": \"latent-explorer-")),
                        "not valid JSON");
        LX_VERIFY_ERROR(Session::load(write(dir, "card.lxsession", R"({"kind": "generator"})")),
                        "not a Latent Explorer session");
        LX_VERIFY_ERROR(Session::load(write(dir, "other.lxsession", R"({"format": "something-else", "version": 1})")),
                        "not a Latent Explorer session (format \"something-else\")");
        LX_VERIFY_ERROR(
            Session::load(write(dir, "newer.lxsession",
                                R"({"format": "latent-explorer-session", "version": 2, "model": {"path": "m.pt"}})")),
            "version 2 is newer than this Latent Explorer reads (version 1)");
        LX_VERIFY_ERROR(Session::load(write(dir, "nover.lxsession", R"({"format": "latent-explorer-session"})")),
                        "missing or invalid \"version\"");
        LX_VERIFY_ERROR(
            Session::load(write(dir, "nomodel.lxsession", R"({"format": "latent-explorer-session", "version": 1})")),
            "missing \"model\"");
        // Found by fuzz_session under UBSan: a seed of 10e154 was cast to uint64 (undefined); now refused.
        LX_VERIFY_ERROR(
            Session::load(write(
                dir, "seed.lxsession",
                R"({"format": "latent-explorer-session", "version": 1, "seed1": 10e154, "model": {"path": "m.pt"}})")),
            "bad value for 'seed1'");
        LX_VERIFY_ERROR(
            Session::load(write(
                dir, "negseed.lxsession",
                R"({"format": "latent-explorer-session", "version": 1, "seed2": -3, "model": {"path": "m.pt"}})")),
            "bad value for 'seed2'");
        // The file is named in every message.
        LX_VERIFY_ERROR(Session::load(write(dir, "named.lxsession", "[]")), "named.lxsession");
        LX_VERIFY_ERROR(Session::load(dir.path().toStdString()), "it is a directory");
    }

    void badKeys()
    {
        const std::string head = R"({"format": "latent-explorer-session", "version": 1, "model": {"path": "/m.pt"}, )";
        LX_VERIFY_ERROR(Session::fromJson(head + R"("seed1": "one"})"), "bad value for 'seed1'");
        LX_VERIFY_ERROR(Session::fromJson(head + R"("channels": [1, -2]})"), "negative channel -2");
        LX_VERIFY_ERROR(Session::fromJson(head + R"("modules": {"k": 0}})"), "k must be at least 1");
        LX_VERIFY_ERROR(Session::fromJson(head + R"("modules": {"method": "pca"}})"), "unknown method 'pca'");
        LX_VERIFY_ERROR(Session::fromJson(head + R"("view": [1]})"), "'view' must be an object");
        LX_VERIFY_ERROR(Session::fromJson(head + R"("edit": {"interventions": [{"op": "warp", "channels": [1]}]}})"),
                        "unknown intervention 'warp'");
        LX_VERIFY_ERROR(Session::fromJson(head + R"("groups": [{"name": "g", "channels": [-1]}]})"), "group 'g'");
    }

    void saveIsAtomic()
    {
        QTemporaryDir dir;
        const std::string model = write(dir, "m.pt", "model bytes");
        LX_VERIFY_ERROR(sample(model).save(dir.filePath("no/such/folder/s.lxsession").toStdString()), "cannot write");
        const std::string path = dir.filePath("s.lxsession").toStdString();
        sample(model).save(path);
        Session bad = sample(model);
        bad.viewJson = "[not an object";
        LX_VERIFY_ERROR(bad.save(path), "view settings are not a JSON object");
        QCOMPARE(Session::load(path).seed1, uint64_t(12)); // the old file is intact
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2); // m.pt and s.lxsession, no temporaries
    }
};

QTEST_APPLESS_MAIN(TestSession)
#include "test_Session.moc"
