#include "TestSupport.h"

#include "lx/Card.h"

class TestCard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesFullCard()
    {
        const lx::Card c = lx::Card::fromJson(R"({"kind": "autoencoder", "latent_shape": [20],
            "output_range": [0, 1], "output_shape": [1, 28, 28], "name": "VAE", "description": "d",
            "classes": ["a", "b"], "factors": ["x"], "future_key": {"ignored": true}})");
        QVERIFY(c.kind == lx::ModelKind::Autoencoder);
        QCOMPARE(c.latentShape, (std::vector<int64_t>{20}));
        QCOMPARE(c.outputLow, 0.0);
        QCOMPARE(c.outputHigh, 1.0);
        QCOMPARE(c.outputShape, (std::vector<int64_t>{1, 28, 28}));
        QCOMPARE(c.name, std::string("VAE"));
        QCOMPARE(c.classes.size(), size_t(2));
        QCOMPARE(c.factors, (std::vector<std::string>{"x"}));
        QCOMPARE(c.latentSize(), int64_t(20));
    }
    void minimalCardAndRoundTrip()
    {
        const lx::Card c = lx::Card::fromJson(R"({"kind":"generator","latent_shape":[100,1,1],"output_range":[-1,1]})");
        QVERIFY(c.kind == lx::ModelKind::Generator);
        QCOMPARE(c.latentSize(), int64_t(100));
        QVERIFY(c.outputShape.empty());
        const lx::Card again = lx::Card::fromJson(c.toJson());
        QCOMPARE(again.latentShape, c.latentShape);
        QCOMPARE(again.outputLow, -1.0);
    }
    void rejectsMalformed_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const QString ok = R"("latent_shape":[4],"output_range":[-1,1])";
        QTest::newRow("not json") << "{kind: generator"
                                  << "not valid JSON";
        QTest::newRow("empty") << ""
                               << "not valid JSON";
        QTest::newRow("array") << "[1,2]"
                               << "must be a JSON object";
        QTest::newRow("no kind") << "{" + ok + "}"
                                 << "missing required key 'kind'";
        QTest::newRow("no latent") << R"({"kind":"generator","output_range":[0,1]})"
                                   << "missing required key 'latent_shape'";
        QTest::newRow("no range") << R"({"kind":"generator","latent_shape":[4]})"
                                  << "missing required key 'output_range'";
        QTest::newRow("bad kind") << R"({"kind":"gan",)" + ok + "}"
                                  << "'kind' must be";
        QTest::newRow("negative size") << R"({"kind":"generator","latent_shape":[-4],"output_range":[0,1]})"
                                       << "'latent_shape' must be";
        QTest::newRow("zero size") << R"({"kind":"generator","latent_shape":[0],"output_range":[0,1]})"
                                   << "'latent_shape' must be";
        QTest::newRow("empty shape") << R"({"kind":"generator","latent_shape":[],"output_range":[0,1]})"
                                     << "'latent_shape' must be";
        QTest::newRow("float size") << R"({"kind":"generator","latent_shape":[4.5],"output_range":[0,1]})"
                                    << "'latent_shape' must be";
        QTest::newRow("huge size") << R"({"kind":"generator","latent_shape":[1000000000000],"output_range":[0,1]})"
                                   << "'latent_shape' [1000000000000] is too large";
        QTest::newRow("huge product")
            << R"({"kind":"generator","latent_shape":[4],"output_shape":[3,65536,65536],"output_range":[0,1]})"
            << "'output_shape' [3,65536,65536] is too large";
        QTest::newRow("string shape") << R"({"kind":"generator","latent_shape":"4","output_range":[0,1]})"
                                      << "'latent_shape' must be";
        QTest::newRow("range reversed") << R"({"kind":"generator","latent_shape":[4],"output_range":[1,0]})"
                                        << "'output_range' must be";
        QTest::newRow("range length") << R"({"kind":"generator","latent_shape":[4],"output_range":[0]})"
                                      << "'output_range' must be";
        QTest::newRow("bad output shape") << R"({"kind":"generator",)" + ok + R"(,"output_shape":[1,-28]})"
                                          << "'output_shape' must be";
        QTest::newRow("bad classes") << R"({"kind":"generator",)" + ok + R"(,"classes":[1,2]})"
                                     << "'classes' must be a list of strings";
        QTest::newRow("bad name") << R"({"kind":"generator",)" + ok + R"(,"name":5})"
                                  << "'name' must be a string";
    }
    void cgnCard()
    {
        const lx::Card c = lx::Card::fromJson(R"({"kind": "cgn", "latent_shape": [32], "output_range": [-1, 1],
            "output_shape": [3, 32, 32], "classes": ["0", "1", "2"], "mask_clamp": [0.01, 0.99],
            "shuffle": "tile2x2", "noise": "shared"})");
        QVERIFY(c.kind == lx::ModelKind::Cgn);
        QCOMPARE(lx::Card::kindName(c.kind), std::string("cgn"));
        QCOMPARE(c.classes.size(), size_t(3));
        QCOMPARE(c.maskLow, 0.01);
        QCOMPARE(c.maskHigh, 0.99);
        QVERIFY(c.shuffle == lx::CgnShuffle::Tile2x2);
        QVERIFY(c.noise == lx::CgnNoise::Shared);
        const lx::Card again = lx::Card::fromJson(c.toJson());
        QVERIFY(again.kind == lx::ModelKind::Cgn);
        QCOMPARE(again.maskLow, 0.01);
        QCOMPARE(again.maskHigh, 0.99);
        QVERIFY(again.shuffle == lx::CgnShuffle::Tile2x2);
        QVERIFY(again.noise == lx::CgnNoise::Shared);
        QCOMPARE(again.outputShape, (std::vector<int64_t>{3, 32, 32}));
        QCOMPARE(again.classes, c.classes);

        // Defaults: the paper's clamp, no shuffler, fresh noise per mechanism.
        const lx::Card plain = lx::Card::fromJson(R"({"kind": "cgn", "latent_shape": [4], "output_range": [0, 1],
            "output_shape": [3, 8, 8], "classes": ["a"]})");
        QCOMPARE(plain.maskLow, 1e-4);
        QCOMPARE(plain.maskHigh, 0.9999);
        QVERIFY(plain.shuffle == lx::CgnShuffle::None);
        QVERIFY(plain.noise == lx::CgnNoise::PerMechanism);
    }
    void rejectsBadCgnCards_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const QString base = R"({"kind":"cgn","latent_shape":[4],"output_range":[-1,1])";
        const QString ok = base + R"(,"output_shape":[3,8,8],"classes":["a","b"])";
        QTest::newRow("no classes") << base + R"(,"output_shape":[3,8,8]})"
                                    << "missing required key 'classes' (kind cgn)";
        QTest::newRow("empty classes") << base + R"(,"output_shape":[3,8,8],"classes":[]})"
                                       << "'classes' must be a non-empty list";
        QTest::newRow("no output shape") << base + R"(,"classes":["a"]})"
                                         << "missing required key 'output_shape' (kind cgn)";
        QTest::newRow("gray output") << base + R"(,"output_shape":[1,8,8],"classes":["a"]})"
                                     << "'output_shape' must be [3, H, W]";
        QTest::newRow("no latent") << R"({"kind":"cgn","output_range":[-1,1],"output_shape":[3,8,8],"classes":["a"]})"
                                   << "missing required key 'latent_shape'";
        QTest::newRow("no range") << R"({"kind":"cgn","latent_shape":[4],"output_shape":[3,8,8],"classes":["a"]})"
                                  << "missing required key 'output_range'";
        QTest::newRow("latent not flat")
            << R"({"kind":"cgn","latent_shape":[4,1,1],"output_range":[-1,1],"output_shape":[3,8,8],"classes":["a"]})"
            << "'latent_shape' must be [L] for kind cgn";
        QTest::newRow("clamp reversed") << ok + R"(,"mask_clamp":[0.9,0.1]})"
                                        << "'mask_clamp' must be";
        QTest::newRow("clamp equal") << ok + R"(,"mask_clamp":[0.5,0.5]})"
                                     << "'mask_clamp' must be";
        QTest::newRow("clamp below 0") << ok + R"(,"mask_clamp":[-0.1,0.9]})"
                                       << "'mask_clamp' must be";
        QTest::newRow("clamp above 1") << ok + R"(,"mask_clamp":[0.1,1.5]})"
                                       << "'mask_clamp' must be";
        QTest::newRow("clamp length") << ok + R"(,"mask_clamp":[0.1]})"
                                      << "'mask_clamp' must be";
        QTest::newRow("clamp strings") << ok + R"(,"mask_clamp":["0","1"]})"
                                       << "'mask_clamp' must be";
        QTest::newRow("bad shuffle") << ok + R"(,"shuffle":"random"})"
                                     << "'shuffle' must be \"tile2x2\" or \"none\"";
        QTest::newRow("shuffle bool") << ok + R"(,"shuffle":true})"
                                      << "'shuffle' must be a string";
        QTest::newRow("bad noise") << ok + R"(,"noise":"fresh"})"
                                   << "'noise' must be \"per_mechanism\" or \"shared\"";
    }
    void rejectsBadCgnCards()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        LX_VERIFY_ERROR(lx::Card::fromJson(json.toStdString()), message.toStdString());
    }
    void vqCard()
    {
        const lx::Card c = lx::Card::fromJson(R"({"kind": "vqvae", "input_shape": [1, 64, 64], "output_range": [0, 1],
            "grid_shape": [1, 8, 8], "codebook_size": 64, "factors": ["shape", "scale"],
            "actions": ["shape+", "scale+", "shape-", "scale-"], "dataset": "lx-shapes", "name": "ct"})");
        QVERIFY(c.kind == lx::ModelKind::VqVae);
        QCOMPARE(lx::Card::kindName(c.kind), std::string("vqvae"));
        QCOMPARE(c.inputShape, (std::vector<int64_t>{1, 64, 64}));
        QCOMPARE(c.outputShape, (std::vector<int64_t>{1, 64, 64}));
        QCOMPARE(c.gridShape, (std::vector<int64_t>{1, 8, 8}));
        QCOMPARE(c.codebookSize, int64_t(64));
        QCOMPARE(c.actions.size(), size_t(4));
        QCOMPARE(c.factors.size(), size_t(2));
        QCOMPARE(c.dataset, std::string("lx-shapes"));
        QVERIFY(c.latentShape.empty());
        const lx::Card again = lx::Card::fromJson(c.toJson());
        QVERIFY(again.kind == lx::ModelKind::VqVae);
        QCOMPARE(again.inputShape, c.inputShape);
        QCOMPARE(again.gridShape, c.gridShape);
        QCOMPARE(again.codebookSize, c.codebookSize);
        QCOMPARE(again.actions, c.actions);
        QCOMPARE(again.factors, c.factors);
        QCOMPARE(again.outputHigh, 1.0);
        // Without a transition; actions without factors may be any number.
        const lx::Card plain = lx::Card::fromJson(R"({"kind": "vqvae", "input_shape": [3, 32, 32],
            "output_range": [-1, 1], "grid_shape": [2, 4, 4], "codebook_size": 16})");
        QVERIFY(plain.actions.empty());
        QCOMPARE(plain.outputLow, -1.0);
        QCOMPARE(lx::Card::fromJson(R"({"kind": "vqvae", "input_shape": [3, 32, 32], "output_range": [-1, 1],
            "grid_shape": [2, 4, 4], "codebook_size": 16, "actions": ["a", "b", "c"]})")
                     .actions.size(),
                 size_t(3));
    }
    void rejectsBadVqCards_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const QString base = R"({"kind":"vqvae","input_shape":[1,64,64],"output_range":[0,1])";
        const QString ok = base + R"(,"grid_shape":[1,8,8],"codebook_size":64)";
        QTest::newRow("no grid") << base + R"(,"codebook_size":64})"
                                 << "missing required key 'grid_shape' (kind vqvae)";
        QTest::newRow("no codebook") << base + R"(,"grid_shape":[1,8,8]})"
                                     << "missing required key 'codebook_size' (kind vqvae)";
        QTest::newRow("no input shape")
            << R"({"kind":"vqvae","output_range":[0,1],"grid_shape":[1,8,8],"codebook_size":64})"
            << "missing required key 'input_shape' (kind vqvae)";
        QTest::newRow("no range")
            << R"({"kind":"vqvae","input_shape":[1,64,64],"grid_shape":[1,8,8],"codebook_size":64})"
            << "missing required key 'output_range' (kind vqvae)";
        QTest::newRow("negative grid") << base + R"(,"grid_shape":[1,-8,8],"codebook_size":64})"
                                       << "'grid_shape' must be a non-empty list of positive integers";
        QTest::newRow("grid rank") << base + R"(,"grid_shape":[8,8],"codebook_size":64})"
                                   << "'grid_shape' must be [B, h, w]";
        QTest::newRow("input rank")
            << R"({"kind":"vqvae","input_shape":[64,64],"output_range":[0,1],"grid_shape":[1,8,8],"codebook_size":64})"
            << "'input_shape' must be [C, H, W] for kind vqvae";
        QTest::newRow("negative codebook") << base + R"(,"grid_shape":[1,8,8],"codebook_size":-3})"
                                           << "'codebook_size' must be a positive integer K";
        QTest::newRow("zero codebook") << base + R"(,"grid_shape":[1,8,8],"codebook_size":0})"
                                       << "'codebook_size' must be a positive integer K";
        QTest::newRow("float codebook") << base + R"(,"grid_shape":[1,8,8],"codebook_size":6.5})"
                                        << "'codebook_size' must be";
        QTest::newRow("huge codebook") << base + R"(,"grid_shape":[1,8,8],"codebook_size":99999999})"
                                       << "(at most 2^24)";
        QTest::newRow("range reversed")
            << R"({"kind":"vqvae","input_shape":[1,64,64],"output_range":[1,0],"grid_shape":[1,8,8],"codebook_size":64})"
            << "'output_range' must be [low, high]";
        QTest::newRow("actions odd for factors")
            << ok + R"(,"factors":["a","b"],"actions":["a+","b+","a-"]})"
            << "'actions' must be 2F = 4 names for the 2 factors (one + and one - per factor), not 3";
        QTest::newRow("actions mismatch") << ok + R"(,"factors":["a"],"actions":["a+","b+","a-","b-"]})"
                                          << "'actions' must be 2F = 2 names";
        QTest::newRow("actions empty") << ok + R"(,"actions":[]})"
                                       << "'actions' must be a non-empty list";
        QTest::newRow("actions twice") << ok + R"(,"actions":["a","a"]})"
                                       << "distinct action names ('a' twice)";
        QTest::newRow("action unnamed") << ok + R"(,"actions":["a",""]})"
                                        << "'actions' must be a list of non-empty action names";
        QTest::newRow("actions not strings") << ok + R"(,"actions":[1,2]})"
                                             << "'actions' must be a list of strings";
        QTest::newRow("factors not strings") << ok + R"(,"factors":"shape"})"
                                             << "'factors' must be a list of strings";
    }
    void rejectsBadVqCards()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        LX_VERIFY_ERROR(lx::Card::fromJson(json.toStdString()), message.toStdString());
    }
    void rejectsMalformed()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        LX_VERIFY_ERROR(lx::Card::fromJson(json.toStdString()), message.toStdString());
    }
};

QTEST_APPLESS_MAIN(TestCard)
#include "test_Card.moc"
