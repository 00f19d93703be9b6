#include "lx/Png.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"

#include <png.h>

#include <cstring>
#include <memory>

namespace lx {

namespace {

// png_image must be released with png_image_free whatever happens.
struct ImageGuard {
    png_image image;
    ImageGuard()
    {
        std::memset(&image, 0, sizeof image);
        image.version = PNG_IMAGE_VERSION;
    }
    ~ImageGuard() { png_image_free(&image); }
};

} // namespace

std::string Png::encode(const Image8& image)
{
    if (image.empty() || image.width <= 0 || image.height <= 0)
        throw Error("png: the image is empty");
    if (image.channels != 1 && image.channels != 3)
        throw Error("png: images must be gray (1 channel) or RGB (3 channels), got " + std::to_string(image.channels)
                    + " channels");
    if (image.pixels.size() != static_cast<size_t>(image.width) * image.height * image.channels)
        throw Error("png: pixel buffer size does not match width x height x channels");
    ImageGuard g;
    g.image.width = static_cast<png_uint_32>(image.width);
    g.image.height = static_cast<png_uint_32>(image.height);
    g.image.format = image.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    // First call: the size; second: the bytes.
    if (!png_image_write_to_memory(&g.image, nullptr, &size, 0, image.pixels.data(), 0, nullptr))
        throw Error(std::string("png: cannot encode (") + g.image.message + ")");
    std::string bytes(size, '\0');
    if (!png_image_write_to_memory(&g.image, bytes.data(), &size, 0, image.pixels.data(), 0, nullptr))
        throw Error(std::string("png: cannot encode (") + g.image.message + ")");
    bytes.resize(size);
    return bytes;
}

Image8 Png::decode(const std::string& bytes, const std::string& nameForErrors)
{
    ImageGuard g;
    if (!png_image_begin_read_from_memory(&g.image, bytes.data(), bytes.size()))
        throw Error(nameForErrors + ": not a PNG file (" + g.image.message + ")");
    const bool gray = (g.image.format & PNG_FORMAT_FLAG_COLOR) == 0;
    g.image.format = gray ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    Image8 out(static_cast<int>(g.image.width), static_cast<int>(g.image.height), gray ? 1 : 3);
    png_color black{0, 0, 0};
    if (!png_image_finish_read(&g.image, &black, out.pixels.data(), 0, nullptr))
        throw Error(nameForErrors + ": not a PNG file (" + g.image.message + ")");
    return out;
}

void Png::write(const std::string& path, const Image8& image) { AtomicFile::write(path, encode(image)); }

Image8 Png::read(const std::string& path) { return decode(AtomicFile::read(path), path); }

} // namespace lx
