#include "ui/figure/FigureWriter.h"

#include "lx/Error.h"
#include "ui/figure/HybridGridFigure.h"

#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace lx::ui {
namespace {

[[noreturn]] void fail(const QString& path, const QString& why)
{
    throw lx::Error(QStringLiteral("cannot write %1: %2").arg(path, why).toStdString());
}

QString creator() { return QStringLiteral("Latent Explorer " LX_VERSION); }

void paintPdf(QIODevice* device, const HybridGridFigure& figure, const QString& provenance)
{
    QPdfWriter pdf(device);
    pdf.setResolution(72); // painter units = points
    pdf.setTitle(figure.title());
    pdf.setCreator(creator() + QStringLiteral("; provenance ") + provenance);
    pdf.setPageLayout(QPageLayout(QPageSize(figure.sizePt(), QPageSize::Point, QString(), QPageSize::ExactMatch),
                                  QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QPainter painter(&pdf);
    figure.paint(painter);
}

void paintSvg(QIODevice* device, const HybridGridFigure& figure, const QString& provenance)
{
    QSvgGenerator svg;
    svg.setOutputDevice(device);
    svg.setResolution(72);
    svg.setSize(figure.sizePt().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), figure.sizePt()));
    svg.setTitle(figure.title());
    svg.setDescription(creator() + QStringLiteral("; provenance ") + provenance);
    QPainter painter(&svg);
    figure.paint(painter);
}

void writePng(QIODevice* device, const HybridGridFigure& figure, const QString& provenance, const QString& path)
{
    QImageWriter writer(device, "png");
    writer.setText(QStringLiteral("Software"), creator());
    writer.setText(QStringLiteral("Title"), figure.title());
    writer.setText(QStringLiteral("Description"), provenance);
    if (!writer.write(figure.rasterize(figure.spec().style.dpi)))
        fail(path, writer.errorString());
}

} // namespace

FigureWriter::Format FigureWriter::formatOf(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        return Format::Pdf;
    if (suffix == QLatin1String("svg"))
        return Format::Svg;
    if (suffix == QLatin1String("png"))
        return Format::Png;
    throw lx::Error(QStringLiteral("unknown figure format '%1' (use .pdf, .svg or .png)")
                        .arg(suffix.isEmpty() ? QStringLiteral("no extension") : QStringLiteral(".") + suffix)
                        .toStdString());
}

void FigureWriter::write(const QString& path, const HybridGridFigure& figure, const QString& provenanceJson)
{
    const Format format = formatOf(path);
    const QFileInfo info(path);
    if (info.isDir())
        fail(path, QStringLiteral("it is a folder"));
    if (!info.absoluteDir().exists())
        fail(path, QStringLiteral("the folder %1 does not exist").arg(info.absolutePath()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        fail(path, file.errorString());
    switch (format) {
    case Format::Pdf:
        paintPdf(&file, figure, provenanceJson);
        break;
    case Format::Svg:
        paintSvg(&file, figure, provenanceJson);
        break;
    case Format::Png:
        writePng(&file, figure, provenanceJson, path);
        break;
    }
    if (file.error() != QFileDevice::NoError) {
        const QString why = file.errorString();
        file.cancelWriting();
        fail(path, why);
    }
    if (!file.commit())
        fail(path, file.errorString());
}

} // namespace lx::ui
