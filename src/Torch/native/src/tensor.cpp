// Tensor lifetime, creation, properties and data movement between managed memory and tensors.
#include <cstring>
#include <sstream>

#include "common.h"

namespace {
thread_local std::string tensor_string;
}

MNR_API void mnr_tensor_free(mnr_tensor t) {
  if (!t) return;
  delete t;
  mnr::live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

// A new handle to the same tensor (shares storage and autograd identity).
MNR_API mnr_tensor mnr_tensor_alias(mnr_tensor t){MNR_TENSOR(*t)}

// ---- creation ---------------------------------------------------------------------------------------

// Copies `nbytes` from `data` into a new contiguous CPU tensor of the given shape and type, then moves it
// to the requested device. The managed caller checks that nbytes matches numel * element size.
MNR_API mnr_tensor mnr_from_data(const void* data, int64_t nbytes, const int64_t* shape, int32_t ndim,
                                 int32_t dtype, int32_t device_type, int32_t device_index) {
  MNR_TRY at::Tensor t = at::empty(mnr::dims(shape, ndim), at::TensorOptions().dtype(mnr::dtype(dtype)));
  TORCH_CHECK(static_cast<int64_t>(t.nbytes()) == nbytes, "data has ", nbytes, " bytes but shape needs ",
              t.nbytes());
  if (nbytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
  if (device_type != static_cast<int32_t>(at::kCPU))
    t = t.to(mnr::options(dtype, device_type, device_index).device());
  return mnr::wrap(std::move(t));
  MNR_CATCH(nullptr)
}

MNR_API mnr_tensor mnr_empty(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx){
    MNR_TENSOR(at::empty(mnr::dims(shape, ndim), mnr::options(dtype, dev, idx)))} MNR_API mnr_tensor
    mnr_zeros(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx){
        MNR_TENSOR(at::zeros(mnr::dims(shape, ndim), mnr::options(dtype, dev, idx)))} MNR_API mnr_tensor
    mnr_ones(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx){
        MNR_TENSOR(at::ones(mnr::dims(shape, ndim), mnr::options(dtype, dev, idx)))} MNR_API mnr_tensor
    mnr_full(const int64_t* shape, int32_t ndim, mnr_scalar value, int32_t dtype, int32_t dev,
             int32_t idx){MNR_TENSOR(at::full(mnr::dims(shape, ndim), mnr::scalar(value),
                                              mnr::options(dtype, dev, idx)))} MNR_API mnr_tensor
    mnr_arange(mnr_scalar start, mnr_scalar end, mnr_scalar step, int32_t dtype, int32_t dev,
               int32_t idx){MNR_TENSOR(at::arange(mnr::scalar(start), mnr::scalar(end), mnr::scalar(step),
                                                  mnr::options(dtype, dev, idx)))} MNR_API mnr_tensor
    mnr_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t dev, int32_t idx){
        MNR_TENSOR(at::linspace(start, end, steps, mnr::options(dtype, dev, idx)))} MNR_API mnr_tensor
    mnr_eye(int64_t n, int32_t dtype, int32_t dev,
            int32_t idx){MNR_TENSOR(at::eye(n, mnr::options(dtype, dev, idx)))} MNR_API mnr_tensor
    mnr_zeros_like(mnr_tensor t){MNR_TENSOR(at::zeros_like(*t))} MNR_API mnr_tensor
    mnr_ones_like(mnr_tensor t){MNR_TENSOR(at::ones_like(*t))} MNR_API mnr_tensor
    mnr_empty_like(mnr_tensor t){MNR_TENSOR(at::empty_like(*t))} MNR_API mnr_tensor
    mnr_full_like(mnr_tensor t, mnr_scalar v){MNR_TENSOR(at::full_like(*t, mnr::scalar(v)))}

// ---- properties -------------------------------------------------------------------------------------

MNR_API int32_t mnr_ndim(mnr_tensor t) {
  return static_cast<int32_t>(t->dim());
}
MNR_API int32_t mnr_shape(mnr_tensor t, int64_t* out) {
  MNR_TRY auto s = t->sizes();
  std::copy(s.begin(), s.end(), out);
  return 0;
  MNR_CATCH(-1)
}
MNR_API int32_t mnr_strides(mnr_tensor t, int64_t* out) {
  MNR_TRY auto s = t->strides();
  std::copy(s.begin(), s.end(), out);
  return 0;
  MNR_CATCH(-1)
}
MNR_API int64_t mnr_numel(mnr_tensor t) { return t->numel(); }
MNR_API int32_t mnr_dtype(mnr_tensor t) { return static_cast<int32_t>(t->scalar_type()); }
MNR_API int32_t mnr_device_type(mnr_tensor t) { return static_cast<int32_t>(t->device().type()); }
MNR_API int32_t mnr_device_index(mnr_tensor t) { return t->device().index(); }
MNR_API int32_t mnr_is_contiguous(mnr_tensor t) { return t->is_contiguous() ? 1 : 0; }
MNR_API int32_t mnr_defined(mnr_tensor t) { return t->defined() ? 1 : 0; }

// Raw pointer to a CPU tensor's first element, for zero-copy spans. Fails for non-contiguous tensors so
// that the managed side never reads a strided buffer as if it were dense.
MNR_API int32_t mnr_data_ptr(mnr_tensor t, void** out) {
  MNR_TRY TORCH_CHECK(t->device().is_cpu(), "data pointer needs a CPU tensor, got ", t->device());
  TORCH_CHECK(t->is_contiguous(), "data pointer needs a contiguous tensor");
  *out = t->data_ptr();
  return 0;
  MNR_CATCH(-1)
}

// Copies a tensor's elements (any device, any layout) into managed memory in row-major order.
MNR_API int32_t mnr_copy_to(mnr_tensor t, void* dst, int64_t nbytes) {
  MNR_TRY at::Tensor c = t->detach().to(at::kCPU).contiguous();
  TORCH_CHECK(static_cast<int64_t>(c.nbytes()) == nbytes, "destination has ", nbytes,
              " bytes but tensor has ", c.nbytes());
  if (nbytes > 0) std::memcpy(dst, c.data_ptr(), static_cast<size_t>(nbytes));
  return 0;
  MNR_CATCH(-1)
}

MNR_API int32_t mnr_item(mnr_tensor t, mnr_scalar* out) {
  MNR_TRY at::Scalar s = t->item();
  if (s.isIntegral(/*includeBool=*/true)) {
    out->is_int = 1;
    out->i = s.toLong();
    out->f = static_cast<double>(out->i);
  } else {
    out->is_int = 0;
    out->f = s.toDouble();
    out->i = 0;
  }
  return 0;
  MNR_CATCH(-1)
}

MNR_API const char* mnr_to_string(mnr_tensor t) {
  MNR_TRY std::ostringstream s;
  s << *t;
  tensor_string = s.str();
  return tensor_string.c_str();
  MNR_CATCH(nullptr)
}

// ---- conversion -------------------------------------------------------------------------------------

MNR_API mnr_tensor mnr_to_dtype(mnr_tensor t,
                                int32_t dtype){MNR_TENSOR(t->to(mnr::dtype(dtype)))} MNR_API mnr_tensor
    mnr_to_device(mnr_tensor t, int32_t dev, int32_t idx){
        MNR_TENSOR(t->to(at::Device(static_cast<at::DeviceType>(dev),
                                    static_cast<c10::DeviceIndex>(idx))))} MNR_API mnr_tensor
    mnr_clone(mnr_tensor t){MNR_TENSOR(t->clone())} MNR_API mnr_tensor
    mnr_contiguous(mnr_tensor t){MNR_TENSOR(t->contiguous())} MNR_API int32_t
    mnr_copy_(mnr_tensor dst, mnr_tensor src){MNR_STATUS(dst->copy_(*src))} MNR_API int32_t
    mnr_equal(mnr_tensor a, mnr_tensor b) {
  MNR_TRY return at::equal(*a, *b) ? 1 : 0;
  MNR_CATCH(-1)
}
MNR_API int32_t mnr_allclose(mnr_tensor a, mnr_tensor b, double rtol, double atol) {
  MNR_TRY return at::allclose(*a, *b, rtol, atol) ? 1 : 0;
  MNR_CATCH(-1)
}

// format: 0 = contiguous (NCHW), 1 = channels last (NHWC strides; oneDNN's own layout for convolutions).
MNR_API mnr_tensor mnr_contiguous_format(mnr_tensor t, int32_t format){
    MNR_TENSOR(t->contiguous(mnr::memory_format(format)))} MNR_API int32_t
    mnr_is_contiguous_format(mnr_tensor t, int32_t format) {
  MNR_TRY return t->is_contiguous(mnr::memory_format(format)) ? 1 : 0;
  MNR_CATCH(-1)
}
