// Image codecs: decode encoded files into uint8 [H, W, C] tensors, encode JPEG, resize uint8 batches.
//
// JPEG goes through libjpeg-turbo's TurboJPEG API (the decoder PIL uses on Debian, so pixels match
// PIL's); PNG, BMP, GIF and the other formats stb_image knows go through stb_image (header-only,
// compiled here). Decoding keeps the file's channel count (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) and reports
// what the file held (format, colour mode, bit depth) in an int64 triple, see the "info" layout below.
//
// Strictness: a JPEG that libjpeg only warns about ("Premature end of JPEG file", "Corrupt JPEG data")
// is an error here, as is a BMP shorter than its header says (stb_image would pad it with zeros): a
// truncated file must fail, not come out half grey. TGA (no signature: random bytes parse as TGA) and HDR
// (float pixels) are not compiled in.
#include <turbojpeg.h>

#include <cstring>
#include <stdexcept>

#include "common.h"

#define STBI_NO_STDIO
#define STBI_NO_JPEG
#define STBI_NO_TGA
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

namespace {

// info[0]: file format, info[1]: colour mode in the file, info[2]: bits per channel in the file.
enum Format : int64_t { kUnknown = 0, kJpeg = 1, kPng = 2, kBmp = 3, kGif = 4, kOther = 5 };
enum Mode : int64_t { kGray = 1, kGrayAlpha = 2, kRgb = 3, kRgba = 4, kPalette = 5, kCmyk = 6 };

// One compressor and one decompressor per thread (parallel_for's workers keep theirs).
struct TurboHandles {
  tjhandle decompressor = nullptr;
  tjhandle compressor = nullptr;
  ~TurboHandles() {
    if (decompressor) tjDestroy(decompressor);
    if (compressor) tjDestroy(compressor);
  }
};
thread_local TurboHandles turbo;

tjhandle decompressor() {
  if (!turbo.decompressor) turbo.decompressor = tjInitDecompress();
  if (!turbo.decompressor) throw std::runtime_error("could not initialise the TurboJPEG decompressor");
  return turbo.decompressor;
}

tjhandle compressor() {
  if (!turbo.compressor) turbo.compressor = tjInitCompress();
  if (!turbo.compressor) throw std::runtime_error("could not initialise the TurboJPEG compressor");
  return turbo.compressor;
}

uint32_t le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

Format sniff(const uint8_t* p, size_t n) {
  if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return kJpeg;
  if (n >= 8 && std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return kPng;
  if (n >= 2 && p[0] == 'B' && p[1] == 'M') return kBmp;
  if (n >= 4 && std::memcmp(p, "GIF8", 4) == 0) return kGif;
  return kUnknown;
}

std::string signature(const uint8_t* p, size_t n) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (size_t k = 0; k < n && k < 8; ++k) {
    if (k) s += ' ';
    s += hex[p[k] >> 4];
    s += hex[p[k] & 15];
  }
  return s;
}

at::Tensor decode_jpeg(const uint8_t* p, size_t n, int64_t* info) {
  tjhandle d = decompressor();
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(d, p, static_cast<unsigned long>(n), &width, &height, &subsampling, &colorspace) !=
      0)
    throw std::runtime_error(std::string("corrupt or truncated JPEG (") + tjGetErrorStr2(d) + ")");
  const bool gray = colorspace == TJCS_GRAY;
  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  info[1] = gray ? kGray : cmyk ? kCmyk : kRgb;
  info[2] = 8;
  const int channels = gray ? 1 : cmyk ? 4 : 3;
  const int format = gray ? TJPF_GRAY : cmyk ? TJPF_CMYK : TJPF_RGB;
  at::Tensor out = at::empty({height, width, channels}, at::kByte);
  auto* dst = out.data_ptr<uint8_t>();
  if (tjDecompress2(d, p, static_cast<unsigned long>(n), dst, width, 0, height, format, 0) != 0) {
    // Warnings included: libjpeg "recovers" from truncation by filling the rest with grey.
    throw std::runtime_error(std::string("corrupt or truncated JPEG (") + tjGetErrorStr2(d) + ")");
  }
  if (!cmyk) return out;
  // Adobe CMYK JPEGs store inverted inks, so R = C'·K'/255 on the stored values (as PIL's CMYK → RGB).
  const int64_t pixels = static_cast<int64_t>(width) * height;
  at::Tensor rgb = at::empty({height, width, 3}, at::kByte);
  auto* q = rgb.data_ptr<uint8_t>();
  for (int64_t k = 0; k < pixels; ++k) {
    const int key = dst[4 * k + 3];
    for (int c = 0; c < 3; ++c) q[3 * k + c] = static_cast<uint8_t>((dst[4 * k + c] * key + 127) / 255);
  }
  return rgb;
}

// What stb_image cannot tell: the PNG/BMP header's colour type and depth, and a BMP's real length.
void inspect_stb_header(Format format, const uint8_t* p, size_t n, int64_t* info) {
  if (format == kPng && n >= 26 && std::memcmp(p + 12, "IHDR", 4) == 0) {
    info[2] = p[24];
    switch (p[25]) {
      case 0:
        info[1] = kGray;
        break;
      case 2:
        info[1] = kRgb;
        break;
      case 3:
        info[1] = kPalette;
        info[2] = 8;
        break;
      case 4:
        info[1] = kGrayAlpha;
        break;
      case 6:
        info[1] = kRgba;
        break;
      default:
        break;
    }
  } else if (format == kBmp && n >= 34) {
    const uint32_t offset = le32(p + 10), header = le32(p + 14);
    if (header >= 40) {
      const int64_t width = static_cast<int32_t>(le32(p + 18));
      const int64_t height = std::abs(static_cast<int64_t>(static_cast<int32_t>(le32(p + 22))));
      const int bits = le16(p + 28);
      const uint32_t compression = le32(p + 30);
      if (bits <= 8) info[1] = kPalette;
      // Uncompressed rows are padded to 4 bytes; stb_image reads missing bytes as zeros, so check here.
      if ((compression == 0 || compression == 3) && width > 0 && bits > 0) {
        const int64_t row = ((width * bits + 31) / 32) * 4;
        const int64_t needed = static_cast<int64_t>(offset) + row * height;
        if (needed > static_cast<int64_t>(n))
          throw std::runtime_error("truncated BMP: header promises " + std::to_string(needed) +
                                   " bytes, file has " + std::to_string(n));
      }
    }
  } else if (format == kGif) {
    info[1] = kPalette;
  }
}

at::Tensor decode_stb(Format format, const uint8_t* p, size_t n, int64_t* info) {
  int width = 0, height = 0, channels = 0;
  const int length = static_cast<int>(std::min<size_t>(n, INT32_MAX));
  if (format == kUnknown && !stbi_info_from_memory(p, length, &width, &height, &channels))
    throw std::runtime_error("not an image: unrecognised file signature (" + signature(p, n) +
                             "); supported: JPEG, PNG, BMP, GIF, PNM, PSD");
  if (format == kUnknown) format = kOther;
  info[0] = format;
  info[2] = stbi_is_16_bit_from_memory(p, length) ? 16 : 8;
  inspect_stb_header(format, p, n, info);
  stbi_uc* pixels = stbi_load_from_memory(p, length, &width, &height, &channels, 0);
  if (!pixels) {
    const char* names[] = {"image", "JPEG", "PNG", "BMP", "GIF", "image"};
    throw std::runtime_error(std::string("corrupt or truncated ") + names[format] +
                             " (stb_image: " + stbi_failure_reason() + ")");
  }
  if (info[1] == 0) info[1] = channels;  // gray, gray+alpha, RGB, RGBA share their channel count's code
  return at::from_blob(
      pixels, {height, width, channels}, [](void* q) { stbi_image_free(q); }, at::kByte);
}

at::Tensor decode(const uint8_t* p, int64_t n, int64_t* info) {
  info[0] = info[1] = info[2] = 0;
  if (n <= 0) throw std::runtime_error("empty file (0 bytes)");
  const Format format = sniff(p, static_cast<size_t>(n));
  if (format == kJpeg) {
    info[0] = kJpeg;
    return decode_jpeg(p, static_cast<size_t>(n), info);
  }
  info[0] = format;
  return decode_stb(format, p, static_cast<size_t>(n), info);
}

// Encodes one contiguous uint8 [H, W, C] image (C 1 or 3) with 4:2:0 chroma subsampling, PIL's default.
std::vector<uint8_t> encode_jpeg(const uint8_t* pixels, int height, int width, int channels, int quality) {
  TORCH_CHECK(quality >= 1 && quality <= 100, "JPEG quality must be in 1..100, got ", quality);
  tjhandle c = compressor();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const int format = channels == 1 ? TJPF_GRAY : TJPF_RGB;
  const int subsampling = channels == 1 ? TJSAMP_GRAY : TJSAMP_420;
  if (tjCompress2(c, pixels, width, 0, height, format, &buffer, &size, subsampling, quality, 0) != 0) {
    if (buffer) tjFree(buffer);
    throw std::runtime_error(std::string("JPEG encoding failed (") + tjGetErrorStr2(c) + ")");
  }
  std::vector<uint8_t> result(buffer, buffer + size);
  tjFree(buffer);
  return result;
}

void check_hwc(const at::Tensor& image, int64_t dims) {
  TORCH_CHECK(image.scalar_type() == at::kByte && image.dim() == dims, "expected a uint8 ",
              dims == 3 ? "[H, W, C]" : "[N, H, W, C]", " tensor, got ", image.scalar_type(), " with ",
              image.dim(), " dimensions");
  TORCH_CHECK(image.size(-1) == 1 || image.size(-1) == 3,
              "JPEG encoding takes 1 (gray) or 3 (RGB) channels, got ", image.size(-1),
              "; convert RGBA and gray+alpha images to RGB first");
}

void copy_message(char* slot, int64_t capacity, const char* message) {
  if (capacity <= 0) return;
  std::strncpy(slot, message, static_cast<size_t>(capacity - 1));
  slot[capacity - 1] = '\0';
}

}  // namespace

// Decodes one encoded image into a new uint8 [H, W, C] tensor. out_info receives 3 int64: file format
// (1 JPEG, 2 PNG, 3 BMP, 4 GIF, 5 other), colour mode in the file (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA,
// 5 palette, 6 CMYK) and bits per channel in the file (16-bit files come out as 8-bit, the high byte).
MNR_API mnr_tensor mnr_image_decode(const void* data, int64_t length, int64_t* out_info){
    MNR_TENSOR(decode(static_cast<const uint8_t*>(data), length, out_info))}

// Decodes `count` images stored back to back in `data` (item k spans offsets[k] .. offsets[k+1]) in
// parallel (at::parallel_for, so torch.set_num_threads decides how wide). out_images[k] receives the
// tensor or NULL; out_info[3k..3k+2] its info as above; a failed item's message is written NUL-terminated
// into errors + k * error_stride (truncated to fit), a decoded item's slot starts with NUL. Returns 0, or -1
// when the call itself is malformed.
MNR_API int32_t
    mnr_image_decode_batch(const void* data, const int64_t* offsets, int32_t count, mnr_tensor* out_images,
                           int64_t* out_info, void* errors, int64_t error_stride) {
  MNR_TRY TORCH_CHECK(count >= 0, "negative image count");
  for (int32_t k = 0; k < count; ++k) {
    TORCH_CHECK(offsets[k] >= 0 && offsets[k + 1] >= offsets[k], "image offsets must be non-decreasing");
    out_images[k] = nullptr;
  }
  const auto* base = static_cast<const uint8_t*>(data);
  auto* messages = static_cast<char*>(errors);
  at::parallel_for(0, count, 1, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      char* slot = messages + k * error_stride;
      if (error_stride > 0) slot[0] = '\0';
      try {
        out_images[k] = mnr::wrap(decode(base + offsets[k], offsets[k + 1] - offsets[k], out_info + 3 * k));
      } catch (const c10::Error& e) {
        copy_message(slot, error_stride, e.what_without_backtrace());
      } catch (const std::exception& e) {
        copy_message(slot, error_stride, e.what());
      }
    }
  });
  return 0;
  MNR_CATCH(-1)
}

// Encodes a uint8 [H, W, C] image (C = 1 or 3) as JPEG at `quality` (1..100, 4:2:0 chroma like PIL) and
// returns the file's bytes as a uint8 [nbytes] tensor.
MNR_API mnr_tensor mnr_image_encode_jpeg(mnr_tensor image, int32_t quality) {
  MNR_TRY check_hwc(*image, 3);
  at::Tensor src = image->contiguous();
  auto bytes = encode_jpeg(src.data_ptr<uint8_t>(), static_cast<int>(src.size(0)),
                           static_cast<int>(src.size(1)), static_cast<int>(src.size(2)), quality);
  at::Tensor out = at::empty({static_cast<int64_t>(bytes.size())}, at::kByte);
  std::memcpy(out.data_ptr(), bytes.data(), bytes.size());
  return mnr::wrap(std::move(out));
  MNR_CATCH(nullptr)
}

// JPEG-compresses and decompresses every image of a uint8 [N, H, W, C] batch (C = 1 or 3) in parallel;
// qualities holds one quality for all (n_qualities 1) or one per image (n_qualities N).
MNR_API mnr_tensor mnr_image_jpeg_roundtrip(mnr_tensor images, const int64_t* qualities,
                                            int32_t n_qualities) {
  MNR_TRY check_hwc(*images, 4);
  at::Tensor src = images->contiguous();
  const int64_t n = src.size(0), h = src.size(1), w = src.size(2), c = src.size(3);
  TORCH_CHECK(n_qualities == 1 || n_qualities == n, "expected 1 or ", n, " qualities, got ", n_qualities);
  at::Tensor out = at::empty_like(src);
  const uint8_t* in = src.data_ptr<uint8_t>();
  uint8_t* dst = out.data_ptr<uint8_t>();
  const int64_t stride = h * w * c;
  at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      const int quality = static_cast<int>(qualities[n_qualities == 1 ? 0 : k]);
      auto bytes = encode_jpeg(in + k * stride, static_cast<int>(h), static_cast<int>(w), static_cast<int>(c),
                               quality);
      tjhandle d = decompressor();
      if (tjDecompress2(d, bytes.data(), static_cast<unsigned long>(bytes.size()), dst + k * stride,
                        static_cast<int>(w), 0, static_cast<int>(h), c == 1 ? TJPF_GRAY : TJPF_RGB, 0) != 0)
        throw std::runtime_error(std::string("JPEG decoding failed (") + tjGetErrorStr2(d) + ")");
    }
  });
  return mnr::wrap(std::move(out));
  MNR_CATCH(nullptr)
}

// Resizes a uint8 [N, H, W, C] batch to [N, height, width, C] with bilinear interpolation (half-pixel
// centres, align_corners false); antialias (libtorch's _upsample_bilinear2d_aa) low-pass filters when
// shrinking, as PIL and torchvision do. Values are rounded and clamped back to 0..255.
MNR_API mnr_tensor mnr_image_resize(mnr_tensor images, int64_t height, int64_t width, int32_t antialias) {
  MNR_TRY TORCH_CHECK(images->scalar_type() == at::kByte && images->dim() == 4,
                      "expected a uint8 [N, H, W, C] tensor");
  TORCH_CHECK(height > 0 && width > 0, "target size must be positive, got ", width, "x", height);
  at::Tensor x = images->permute({0, 3, 1, 2}).to(at::kFloat);
  at::Tensor y = antialias ? at::_upsample_bilinear2d_aa(x, {height, width}, false)
                           : at::upsample_bilinear2d(x, {height, width}, false);
  return mnr::wrap(y.round_().clamp_(0, 255).to(at::kByte).permute({0, 2, 3, 1}).contiguous());
  MNR_CATCH(nullptr)
}
