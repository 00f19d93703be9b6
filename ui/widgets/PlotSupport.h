#pragma once
// Private to lx_ui: includes QCustomPlot (written with the `signals` and `foreach` keywords that
// QT_NO_KEYWORDS switches off) behind shims, and holds what the response plots share: colour
// gradients and saving a plot as PNG or PDF (write to a temporary file beside the target, then rename).
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals

#include <QString>
#include <QVector>

class QWidget;

namespace lx::ui {

class PlotSupport {
public:
    // magma (ColorMap's ramp), 256 levels.
    static QCPColorGradient magmaGradient();
    // Blue - white - red, for signed values on [-1, 1] (0 is white).
    static QCPColorGradient divergingGradient();

    // Saves the plot as it is drawn, at its current size: PDF when `path` ends in .pdf, else PNG
    // (QCustomPlot::savePdf / savePng into a temporary file beside `path`, renamed over it). Returns
    // false with a one-line `error` when it cannot be written (an existing file is then untouched).
    static bool savePlot(QCustomPlot* plot, const QString& path, QString* error);
    // Replots unless the plot is not shown (e.g. on a hidden tab page, where its paint buffer may still be
    // empty and painting only warns). QCustomPlot replots itself when it is resized; the response plots
    // also replot when they are shown.
    static void replot(QCustomPlot* plot);

    // A colour scale's ticks at -1, -0.5, 0, 0.5, 1 labelled with the values they stand for when the
    // negative range [low, 0] and the positive range [0, high] were each normalised to [-1, 0], [0, 1]
    // (a side with no values, low = 0 or high = 0, gets no ticks but 0).
    // Decimals that show about two significant digits of values up to `high`.
    static int decimalsFor(double high);
    static QSharedPointer<QCPAxisTickerText> signedTicks(double low, double high);
    // v / high for v > 0, v / |low| for v < 0 (each side onto [0, 1] / [-1, 0]); 0 stays 0.
    static double normaliseSigned(double v, double low, double high);

    // What the small chart widgets (consistency, robustness, action retrieval) share: a plot filling
    // `owner` edge to edge on the base colour, with no mouse interactions; a title row above it; the
    // title in text colour, or placeholder colour while it holds a hint; bars of one colour (its edge
    // a shade darker); the values of a graph or bars, in key order.
    static QCustomPlot* embeddedPlot(QWidget* owner);
    static QCPTextElement* addTitleRow(QCustomPlot* plot);
    static void setTitle(QCPTextElement* title, const QString& text, bool placeholder);
    static QCPBars* addBars(QCustomPlot* plot, const QString& name, const QColor& colour, double width);
    template <typename Plottable> static QVector<double> valuesOf(const Plottable* p)
    {
        QVector<double> out;
        for (auto it = p->data()->constBegin(); it != p->data()->constEnd(); ++it)
            out << it->value;
        return out;
    }
};

} // namespace lx::ui
