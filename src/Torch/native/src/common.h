// Shared plumbing for the C ABI: handle types, error capture and argument conversion.
//
// Conventions (mirrored by NativeMethods.cs):
//  - A tensor handle is a heap-allocated at::Tensor (a reference-counted pointer to storage); the managed
//    side owns it and frees it with mnr_tensor_free exactly once.
//  - Functions that make a tensor return its handle, or NULL on error. Functions that return nothing else
//    return 0 on success and -1 on error. Outputs go through pointer arguments.
//  - No exception crosses the boundary: MNR_TRY/MNR_CATCH store the message in a thread-local buffer that
//    the managed side reads with mnr_last_error() and throws as TorchException.
#pragma once

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/variable.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#define MNR_API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* mnr_tensor;
typedef at::Generator* mnr_generator;

// A scalar as the managed side passes it: integral values keep their integer type so that int64 tensors
// stay int64 (at::Scalar(double) would promote them to float).
typedef struct {
  double f;
  int64_t i;
  int32_t is_int;
} mnr_scalar;

namespace mnr {

void set_error(const char* message);
extern std::atomic<int64_t> live_tensors;

inline mnr_tensor wrap(at::Tensor&& t) {
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}
inline mnr_tensor wrap(const at::Tensor& t) {
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(t);
}
inline at::Scalar scalar(mnr_scalar s) { return s.is_int ? at::Scalar(s.i) : at::Scalar(s.f); }
inline at::IntArrayRef dims(const int64_t* d, int32_t n) {
  return at::IntArrayRef(d, static_cast<size_t>(n));
}
inline c10::optional<at::Tensor> optional(mnr_tensor t) {
  return t ? c10::optional<at::Tensor>(*t) : c10::nullopt;
}
inline std::vector<at::Tensor> list(const mnr_tensor* ts, int32_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int32_t k = 0; k < n; ++k) v.push_back(*ts[k]);
  return v;
}
inline at::ScalarType dtype(int32_t code) { return static_cast<at::ScalarType>(code); }
// The managed MemoryFormat enum: 0 contiguous, 1 channels last.
inline at::MemoryFormat memory_format(int32_t code) {
  TORCH_CHECK(code == 0 || code == 1, "unknown memory format ", code);
  return code == 1 ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
}
inline at::TensorOptions options(int32_t dtype_code, int32_t device_type, int32_t device_index) {
  return at::TensorOptions()
      .dtype(dtype(dtype_code))
      .device(
          at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}

}  // namespace mnr

#define MNR_TRY try {
#define MNR_CATCH(on_error)                             \
  }                                                     \
  catch (const c10::Error& e) {                         \
    mnr::set_error(e.what_without_backtrace());         \
    return on_error;                                    \
  }                                                     \
  catch (const std::exception& e) {                     \
    mnr::set_error(e.what());                           \
    return on_error;                                    \
  }                                                     \
  catch (...) {                                         \
    mnr::set_error("unknown native error in libtorch"); \
    return on_error;                                    \
  }

// Bodies that produce a tensor / a status.
#define MNR_TENSOR(expr)          \
  MNR_TRY return mnr::wrap(expr); \
  MNR_CATCH(nullptr)
#define MNR_STATUS(stmt) \
  MNR_TRY stmt;          \
  return 0;              \
  MNR_CATCH(-1)
