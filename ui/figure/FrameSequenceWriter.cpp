#include "ui/figure/FrameSequenceWriter.h"

#include "lx/Error.h"

#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QSaveFile>
#include <QUuid>

namespace lx::ui {

QString FrameSequenceWriter::frameName(int index)
{
    return QStringLiteral("frame_%1.png").arg(index, 4, 10, QLatin1Char('0'));
}

void FrameSequenceWriter::write(const QString& folder, const QVector<QImage>& frames, const QByteArray& provenanceJson)
{
    const auto fail = [&](const QString& why) {
        throw lx::Error(QStringLiteral("cannot write %1: %2").arg(folder, why).toStdString());
    };
    if (frames.isEmpty())
        fail(QStringLiteral("no frames to write"));
    const QFileInfo target(folder);
    if (target.exists())
        fail(QStringLiteral("it exists already (choose a new folder name)"));
    QDir parent = target.absoluteDir();
    if (!parent.exists())
        fail(QStringLiteral("the folder %1 does not exist").arg(parent.path()));
    const QString partialName =
        QStringLiteral(".%1.partial-%2").arg(target.fileName(), QUuid::createUuid().toString(QUuid::Id128).left(8));
    if (!parent.mkdir(partialName))
        fail(QStringLiteral("the folder %1 is not writable").arg(parent.path()));
    QDir partial(parent.filePath(partialName));
    try {
        for (int i = 0; i < frames.size(); ++i) {
            QSaveFile file(partial.filePath(frameName(i)));
            QImageWriter writer(&file, "png");
            writer.setText(QStringLiteral("Provenance"), QString::fromUtf8(provenanceJson));
            if (!file.open(QIODevice::WriteOnly) || !writer.write(frames[i]) || !file.commit())
                fail(QStringLiteral("frame %1: %2").arg(i).arg(writer.errorString()));
        }
        QSaveFile json(partial.filePath(QStringLiteral("provenance.json")));
        if (!json.open(QIODevice::WriteOnly) || json.write(provenanceJson + '\n') < 0 || !json.commit())
            fail(QStringLiteral("provenance.json: %1").arg(json.errorString()));
        if (!parent.rename(partialName, target.fileName()))
            fail(QStringLiteral("could not rename the finished sequence into place"));
    } catch (...) {
        partial.removeRecursively();
        throw;
    }
}

} // namespace lx::ui
