#pragma once
// Writes an animation as a PNG sequence (the Explore tab's animated export): FOLDER/frame_0000.png, ... plus
// FOLDER/provenance.json, all at once or not at all: everything goes into a hidden sibling folder that
// is renamed to FOLDER when complete, so an interrupted or failed export leaves nothing behind and an
// existing FOLDER is never touched. Each PNG carries the provenance as a "Provenance" text chunk.
// (Animated GIFs: lx::Gif; MP4: `ffmpeg -framerate 25 -i FOLDER/frame_%04d.png out.mp4`.)
#include <QImage>
#include <QString>
#include <QVector>

namespace lx::ui {

class FrameSequenceWriter {
public:
    // Throws lx::Error (one line, naming the path): no frames, FOLDER exists, its parent is missing or
    // not writable, a frame that cannot be written.
    static void write(const QString& folder, const QVector<QImage>& frames, const QByteArray& provenanceJson);
    static QString frameName(int index); // "frame_0007.png"
};

} // namespace lx::ui
