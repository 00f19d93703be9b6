#include "ui/hybrids/WorkbenchState.h"

#include <QCoreApplication>

#include <cmath>

namespace lx::ui {

bool sameIntervention(const lx::Intervention& a, const lx::Intervention& b)
{
    return a.op == b.op && a.channels == b.channels && a.value == b.value && a.enabled == b.enabled
        && a.maskHeight == b.maskHeight && a.maskWidth == b.maskWidth && a.mask == b.mask;
}

bool sameEdit(const lx::LayerEdit& a, const lx::LayerEdit& b)
{
    if (a.interventions.size() != b.interventions.size())
        return false;
    for (size_t i = 0; i < a.interventions.size(); ++i) {
        if (!sameIntervention(a.interventions[i], b.interventions[i]))
            return false;
    }
    return true;
}

bool operator==(const WorkbenchState& a, const WorkbenchState& b)
{
    return a.layer == b.layer && a.channels == b.channels && a.seed1 == b.seed1 && a.seed2 == b.seed2
        && a.class1 == b.class1 && a.class2 == b.class2 && a.classFromDonor == b.classFromDonor
        && sameEdit(a.edit, b.edit);
}

QString describeIntervention(const lx::Intervention& i)
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("Intervention", text); };
    const int n = static_cast<int>(i.channels.size());
    const QString channels = n == 1 ? tr("1 channel") : tr("%1 channels").arg(n);
    QString text;
    switch (i.op) {
    case lx::EditOp::Set:
        text = tr("set to %1 on %2").arg(i.value, 0, 'f', 2).arg(channels);
        break;
    case lx::EditOp::Scale:
        text = tr("scale ×%1 on %2").arg(i.value, 0, 'f', 2).arg(channels);
        break;
    case lx::EditOp::Offset:
        text = tr("offset %1%2 on %3")
                   .arg(i.value >= 0 ? QStringLiteral("+") : QString())
                   .arg(i.value, 0, 'f', 2)
                   .arg(channels);
        break;
    case lx::EditOp::Ablate:
        text = tr("ablate %1").arg(channels);
        break;
    case lx::EditOp::CopyDonor:
        text = tr("copy from z2 on %1").arg(channels);
        break;
    }
    if (i.hasMask())
        text += tr(" · masked");
    return text;
}

QImage maskImage(const lx::Intervention& intervention)
{
    if (!intervention.hasMask())
        return {};
    QImage image(intervention.maskWidth, intervention.maskHeight, QImage::Format_Grayscale8);
    for (int y = 0; y < intervention.maskHeight; ++y) {
        uchar* row = image.scanLine(y);
        for (int x = 0; x < intervention.maskWidth; ++x)
            row[x] =
                uchar(std::lround(255.0f * intervention.mask[size_t(y) * size_t(intervention.maskWidth) + size_t(x)]));
    }
    return image;
}

void setInterventionMask(lx::Intervention& intervention, const QImage& mask)
{
    intervention.mask.clear();
    intervention.maskHeight = 0;
    intervention.maskWidth = 0;
    if (mask.isNull())
        return;
    const QImage gray = mask.convertToFormat(QImage::Format_Grayscale8);
    intervention.maskHeight = gray.height();
    intervention.maskWidth = gray.width();
    intervention.mask.reserve(size_t(gray.height()) * size_t(gray.width()));
    for (int y = 0; y < gray.height(); ++y) {
        const uchar* row = gray.constScanLine(y);
        for (int x = 0; x < gray.width(); ++x)
            intervention.mask.push_back(float(row[x]) / 255.0f);
    }
}

int activeInterventions(const lx::LayerEdit& edit)
{
    int count = 0;
    for (const lx::Intervention& i : edit.interventions)
        count += (i.enabled && !i.channels.empty()) ? 1 : 0;
    return count;
}

} // namespace lx::ui
