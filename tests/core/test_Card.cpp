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
        QTest::newRow("not json") << "{kind: generator" << "not valid JSON";
        QTest::newRow("empty") << "" << "not valid JSON";
        QTest::newRow("array") << "[1,2]" << "must be a JSON object";
        QTest::newRow("no kind") << "{" + ok + "}" << "missing required key 'kind'";
        QTest::newRow("no latent") << R"({"kind":"generator","output_range":[0,1]})" << "missing required key 'latent_shape'";
        QTest::newRow("no range") << R"({"kind":"generator","latent_shape":[4]})" << "missing required key 'output_range'";
        QTest::newRow("bad kind") << R"({"kind":"gan",)" + ok + "}" << "'kind' must be";
        QTest::newRow("negative size") << R"({"kind":"generator","latent_shape":[-4],"output_range":[0,1]})" << "'latent_shape' must be";
        QTest::newRow("zero size") << R"({"kind":"generator","latent_shape":[0],"output_range":[0,1]})" << "'latent_shape' must be";
        QTest::newRow("empty shape") << R"({"kind":"generator","latent_shape":[],"output_range":[0,1]})" << "'latent_shape' must be";
        QTest::newRow("float size") << R"({"kind":"generator","latent_shape":[4.5],"output_range":[0,1]})" << "'latent_shape' must be";
        QTest::newRow("string shape") << R"({"kind":"generator","latent_shape":"4","output_range":[0,1]})" << "'latent_shape' must be";
        QTest::newRow("range reversed") << R"({"kind":"generator","latent_shape":[4],"output_range":[1,0]})" << "'output_range' must be";
        QTest::newRow("range length") << R"({"kind":"generator","latent_shape":[4],"output_range":[0]})" << "'output_range' must be";
        QTest::newRow("bad output shape") << R"({"kind":"generator",)" + ok + R"(,"output_shape":[1,-28]})" << "'output_shape' must be";
        QTest::newRow("bad classes") << R"({"kind":"generator",)" + ok + R"(,"classes":[1,2]})" << "'classes' must be a list of strings";
        QTest::newRow("bad name") << R"({"kind":"generator",)" + ok + R"(,"name":5})" << "'name' must be a string";
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
