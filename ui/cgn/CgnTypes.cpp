#include "ui/cgn/CgnTypes.h"

#include "lx/CgnDataset.h"

#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

const char* const kMechanismKeys[] = {"shape", "texture", "background"};

lx::CgnMechanismInput& mechanism(lx::CgnRequest& request, int i)
{
    return i == 0 ? request.shape : i == 1 ? request.texture : request.background;
}

const lx::CgnMechanismInput& mechanism(const lx::CgnRequest& request, int i)
{
    return i == 0 ? request.shape : i == 1 ? request.texture : request.background;
}

// Seeds are written as numbers when they fit a double exactly, which every seed the GUI draws does.
QJsonValue seedValue(quint64 seed)
{
    return seed <= (quint64(1) << 53) ? QJsonValue(double(seed)) : QJsonValue(QString::number(seed));
}

quint64 readSeed(const QJsonValue& value, quint64 fallback)
{
    if (value.isDouble() && value.toDouble() >= 0.0)
        return static_cast<quint64>(value.toDouble());
    bool ok = false;
    const quint64 parsed = value.toString().toULongLong(&ok);
    return ok ? parsed : fallback;
}

} // namespace

QJsonObject CgnMixerState::toJson() const
{
    QJsonObject json;
    for (int i = 0; i < 3; ++i) {
        const lx::CgnMechanismInput& m = mechanism(request, i);
        QJsonObject o;
        o.insert(QStringLiteral("class"), m.classA);
        o.insert(QStringLiteral("class_b"), m.classB);
        o.insert(QStringLiteral("mix"), m.mix);
        o.insert(QStringLiteral("seed"), seedValue(m.seed));
        json.insert(QLatin1String(kMechanismKeys[i]), o);
    }
    QJsonObject grid;
    grid.insert(QStringLiteral("rows"), gridRows);
    grid.insert(QStringLiteral("cols"), gridCols);
    grid.insert(QStringLiteral("seed"), seedValue(gridSeed));
    json.insert(QStringLiteral("grid"), grid);
    return json;
}

CgnMixerState CgnMixerState::fromJson(const QJsonObject& json, int classCount, const CgnMixerState& base)
{
    CgnMixerState s = base;
    const int lastClass = std::max(0, classCount - 1);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject o = json.value(QLatin1String(kMechanismKeys[i])).toObject();
        lx::CgnMechanismInput& m = mechanism(s.request, i);
        m.classA = std::clamp(o.value(QStringLiteral("class")).toInt(m.classA), 0, lastClass);
        m.classB = std::clamp(o.value(QStringLiteral("class_b")).toInt(m.classB), 0, lastClass);
        m.mix = std::clamp(o.value(QStringLiteral("mix")).toDouble(m.mix), 0.0, 1.0);
        m.seed = readSeed(o.value(QStringLiteral("seed")), m.seed);
    }
    const QJsonObject grid = json.value(QStringLiteral("grid")).toObject();
    s.gridRows = std::clamp(grid.value(QStringLiteral("rows")).toInt(s.gridRows), 1, kMaxGridSide);
    s.gridCols = std::clamp(grid.value(QStringLiteral("cols")).toInt(s.gridCols), 1, kMaxGridSide);
    s.gridSeed = readSeed(grid.value(QStringLiteral("seed")), s.gridSeed);
    return s;
}

bool sameInput(const lx::CgnMechanismInput& a, const lx::CgnMechanismInput& b)
{
    return a.classA == b.classA && a.classB == b.classB && a.mix == b.mix && a.seed == b.seed;
}

bool operator==(const CgnMixerState& a, const CgnMixerState& b)
{
    for (int i = 0; i < 3; ++i) {
        if (!sameInput(mechanism(a.request, i), mechanism(b.request, i)))
            return false;
    }
    return a.gridRows == b.gridRows && a.gridCols == b.gridCols && a.gridSeed == b.gridSeed;
}

ModelSummary CgnModelInfo::summary() const
{
    ModelSummary s;
    s.path = path;
    s.name = name;
    s.description = description;
    s.kind = QStringLiteral("cgn");
    s.device = device;
    s.latentShape = {latentSize};
    s.outputShape = imageShape;
    s.outputLow = outputLow;
    s.outputHigh = outputHigh;
    s.discoveryNote = QObject::tr(
                          "CGN: shape, texture and background mechanisms, %1 classes (%2%3); see the "
                          "CGN mixer tab.")
                          .arg(classes.size())
                          .arg(shuffled ? QObject::tr("texture and background shuffled") : QObject::tr("no shuffler"))
                          .arg(sharedNoise ? QObject::tr(", noise shared by the mechanisms") : QString());
    return s;
}

QString CgnModelInfo::describe(const lx::CgnMechanismInput& input) const
{
    const QString a = classes.value(input.classA, QString::number(input.classA));
    if (input.mix <= 0.0 || input.classA == input.classB)
        return a;
    const QString b = classes.value(input.classB, QString::number(input.classB));
    if (input.mix >= 1.0)
        return b;
    const int percentB = static_cast<int>(std::lround(100.0 * input.mix));
    return QStringLiteral("%1 %2% · %3 %4%").arg(a).arg(100 - percentB).arg(b).arg(percentB);
}

std::vector<lx::CgnRequest> CgnGridRequest::cells(int classCount) const
{
    // The dataset export's draws (one mask's counterfactuals), with the mixer's shape mechanism.
    const int64_t count = std::max(0, rows * cols);
    std::vector<lx::CgnRequest> out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        lx::CgnRequest cell = lx::CgnDataset::request(seed, count, std::max(1, classCount), i);
        cell.shape = shape;
        out.push_back(cell);
    }
    return out;
}

void registerCgnTypes()
{
    qRegisterMetaType<CgnModelInfo>();
    qRegisterMetaType<CgnFrame>();
    qRegisterMetaType<CgnGridData>();
    qRegisterMetaType<CgnExportResult>();
}

} // namespace lx::ui
