#include "ui/widgets/PlotSupport.h"

#include <QVBoxLayout>

#include "ui/widgets/ColorMap.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lx::ui {

QCPColorGradient PlotSupport::magmaGradient()
{
    QMap<double, QColor> stops;
    for (const auto& [position, colour] : ColorMap::magmaStops())
        stops.insert(position, colour);
    QCPColorGradient gradient;
    gradient.setColorStops(stops);
    gradient.setLevelCount(256);
    return gradient;
}

QCPColorGradient PlotSupport::divergingGradient()
{
    // ColorBrewer RdBu (reversed: negative blue, positive red), 7 stops.
    QMap<double, QColor> stops{
        {0.0, QColor(0x21, 0x66, 0xac)}, {1.0 / 6, QColor(0x67, 0xa9, 0xcf)}, {2.0 / 6, QColor(0xd1, 0xe5, 0xf0)},
        {0.5, QColor(0xf7, 0xf7, 0xf7)}, {4.0 / 6, QColor(0xfd, 0xdb, 0xc7)}, {5.0 / 6, QColor(0xef, 0x8a, 0x62)},
        {1.0, QColor(0xb2, 0x18, 0x2b)},
    };
    QCPColorGradient gradient;
    gradient.setColorStops(stops);
    gradient.setLevelCount(256);
    return gradient;
}

bool PlotSupport::savePlot(QCustomPlot* plot, const QString& path, QString* error)
{
    const QFileInfo target(path);
    const bool pdf = target.suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) == 0;
    // A unique name beside the target, so the rename stays on one file system.
    QTemporaryFile temp(target.absoluteDir().filePath(QStringLiteral(".%1.XXXXXX").arg(target.fileName())));
    if (!temp.open()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, temp.errorString());
        return false;
    }
    const QString tempPath = temp.fileName();
    temp.close();
    const bool written = pdf ? plot->savePdf(tempPath) : plot->savePng(tempPath);
    if (!written || std::rename(QFile::encodeName(tempPath).constData(), QFile::encodeName(path).constData()) != 0) {
        if (error)
            *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    temp.setAutoRemove(false); // renamed: nothing left to remove
    return true;
}

int PlotSupport::decimalsFor(double high)
{
    if (!(high > 0.0) || !std::isfinite(high))
        return 2;
    return std::clamp(1 - static_cast<int>(std::floor(std::log10(high))), 0, 4);
}

void PlotSupport::replot(QCustomPlot* plot)
{
    if (plot->isVisible() && plot->width() > 0 && plot->height() > 0)
        plot->replot();
}

double PlotSupport::normaliseSigned(double v, double low, double high)
{
    if (v > 0.0)
        return high > 0.0 ? v / high : 0.0;
    if (v < 0.0)
        return low < 0.0 ? v / -low : 0.0;
    return 0.0;
}

QSharedPointer<QCPAxisTickerText> PlotSupport::signedTicks(double low, double high)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const auto label = [](double v) { return QString::number(v, 'g', 3); };
    // A side without values (e.g. no positive divergence anywhere) keeps its colour but no labels.
    if (low < 0.0) {
        ticker->addTick(-1.0, label(low));
        ticker->addTick(-0.5, label(low / 2));
    }
    ticker->addTick(0.0, QStringLiteral("0"));
    if (high > 0.0) {
        ticker->addTick(0.5, label(high / 2));
        ticker->addTick(1.0, label(high));
    }
    return ticker;
}

QCustomPlot* PlotSupport::embeddedPlot(QWidget* owner)
{
    auto* layout = new QVBoxLayout(owner);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* plot = new QCustomPlot(owner);
    plot->setBackground(owner->palette().color(QPalette::Base));
    plot->setInteractions(QCP::Interactions());
    layout->addWidget(plot);
    return plot;
}

QCPTextElement* PlotSupport::addTitleRow(QCustomPlot* plot)
{
    plot->plotLayout()->insertRow(0);
    auto* title = new QCPTextElement(plot, QString());
    plot->plotLayout()->addElement(0, 0, title);
    return title;
}

void PlotSupport::setTitle(QCPTextElement* title, const QString& text, bool placeholder)
{
    title->setText(text);
    title->setTextColor(title->parentPlot()->palette().color(placeholder ? QPalette::PlaceholderText : QPalette::Text));
}

QCPBars* PlotSupport::addBars(QCustomPlot* plot, const QString& name, const QColor& colour, double width)
{
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setName(name);
    bars->setPen(QPen(colour.darker(130)));
    bars->setBrush(colour);
    bars->setWidth(width);
    return bars;
}

} // namespace lx::ui
