// Views, joins, indexing and layout changes.
#include "common.h"

MNR_API mnr_tensor mnr_reshape(mnr_tensor a, const int64_t* shape,
                               int32_t n){MNR_TENSOR(a->reshape(mnr::dims(shape, n)))} MNR_API mnr_tensor
    mnr_view(mnr_tensor a, const int64_t* shape,
             int32_t n){MNR_TENSOR(a->view(mnr::dims(shape, n)))} MNR_API mnr_tensor
    mnr_permute(mnr_tensor a, const int64_t* dims,
                int32_t n){MNR_TENSOR(a->permute(mnr::dims(dims, n)))} MNR_API mnr_tensor
    mnr_transpose(mnr_tensor a, int64_t d0, int64_t d1){MNR_TENSOR(a->transpose(d0, d1))} MNR_API mnr_tensor
    mnr_squeeze(mnr_tensor a, int32_t has_dim,
                int64_t dim){MNR_TENSOR(has_dim ? a->squeeze(dim) : a->squeeze())} MNR_API mnr_tensor
    mnr_unsqueeze(mnr_tensor a, int64_t dim){MNR_TENSOR(a->unsqueeze(dim))} MNR_API mnr_tensor
    mnr_flatten(mnr_tensor a, int64_t start,
                int64_t end){MNR_TENSOR(a->flatten(start, end))} MNR_API mnr_tensor
    mnr_expand(mnr_tensor a, const int64_t* shape,
               int32_t n){MNR_TENSOR(a->expand(mnr::dims(shape, n)))} MNR_API mnr_tensor
    mnr_repeat(mnr_tensor a, const int64_t* repeats,
               int32_t n){MNR_TENSOR(a->repeat(mnr::dims(repeats, n)))} MNR_API mnr_tensor
    mnr_cat(const mnr_tensor* ts, int32_t n,
            int64_t dim){MNR_TENSOR(at::cat(mnr::list(ts, n), dim))} MNR_API mnr_tensor
    mnr_stack(const mnr_tensor* ts, int32_t n,
              int64_t dim){MNR_TENSOR(at::stack(mnr::list(ts, n), dim))} MNR_API mnr_tensor
    mnr_narrow(mnr_tensor a, int64_t dim, int64_t start,
               int64_t length){MNR_TENSOR(a->narrow(dim, start, length))} MNR_API mnr_tensor
    mnr_slice(mnr_tensor a, int64_t dim, int64_t start, int64_t end,
              int64_t step){MNR_TENSOR(a->slice(dim, start, end, step))} MNR_API mnr_tensor
    mnr_select(mnr_tensor a, int64_t dim, int64_t index){MNR_TENSOR(a->select(dim, index))} MNR_API mnr_tensor
    mnr_index_select(mnr_tensor a, int64_t dim,
                     mnr_tensor index){MNR_TENSOR(at::index_select(*a, dim, *index))} MNR_API mnr_tensor
    mnr_gather(mnr_tensor a, int64_t dim,
               mnr_tensor index){MNR_TENSOR(at::gather(*a, dim, *index))} MNR_API mnr_tensor
    mnr_scatter(mnr_tensor a, int64_t dim, mnr_tensor index,
                mnr_tensor src){MNR_TENSOR(at::scatter(*a, dim, *index, *src))} MNR_API mnr_tensor
    mnr_scatter_add(mnr_tensor a, int64_t dim, mnr_tensor index,
                    mnr_tensor src){MNR_TENSOR(at::scatter_add(*a, dim, *index, *src))} MNR_API mnr_tensor
    mnr_masked_fill(mnr_tensor a, mnr_tensor mask,
                    mnr_scalar v){MNR_TENSOR(at::masked_fill(*a, *mask, mnr::scalar(v)))} MNR_API int32_t
    mnr_masked_fill_(mnr_tensor a, mnr_tensor mask,
                     mnr_scalar v){MNR_STATUS(a->masked_fill_(*mask, mnr::scalar(v)))} MNR_API mnr_tensor
    mnr_masked_select(mnr_tensor a, mnr_tensor mask){
        MNR_TENSOR(at::masked_select(*a, *mask))} MNR_API mnr_tensor mnr_nonzero(mnr_tensor a) {
  MNR_TENSOR(at::nonzero(*a))
}

// Advanced indexing a[i0, i1, ...]: NULL entries stand for ':' (whole dimension).
static c10::List<c10::optional<at::Tensor>> index_list(const mnr_tensor* ts, int32_t n) {
  c10::List<c10::optional<at::Tensor>> l;
  for (int32_t k = 0; k < n; ++k) l.push_back(mnr::optional(ts[k]));
  return l;
}
MNR_API mnr_tensor mnr_index(mnr_tensor a, const mnr_tensor* indices,
                             int32_t n){MNR_TENSOR(at::index(*a, index_list(indices, n)))} MNR_API int32_t
    mnr_index_put_(mnr_tensor a, const mnr_tensor* indices, int32_t n, mnr_tensor values, int32_t accumulate){
        MNR_STATUS(a->index_put_(index_list(indices, n), *values, accumulate != 0))}

MNR_API mnr_tensor mnr_flip(mnr_tensor a, const int64_t* dims,
                            int32_t n){MNR_TENSOR(at::flip(*a, mnr::dims(dims, n)))} MNR_API mnr_tensor
    mnr_roll(mnr_tensor a, const int64_t* shifts, const int64_t* dims,
             int32_t n){MNR_TENSOR(at::roll(*a, mnr::dims(shifts, n), mnr::dims(dims, n)))} MNR_API mnr_tensor
    mnr_rot90(mnr_tensor a, int64_t k, int64_t d0,
              int64_t d1){MNR_TENSOR(at::rot90(*a, k, {d0, d1}))} MNR_API mnr_tensor
    mnr_one_hot(mnr_tensor a, int64_t num_classes){MNR_TENSOR(at::one_hot(*a, num_classes))}

// mode: "constant", "reflect", "replicate" or "circular", as torch.nn.functional.pad.
MNR_API mnr_tensor mnr_pad(mnr_tensor a, const int64_t* pad, int32_t n, const char* mode, double value) {
  MNR_TENSOR(at::pad(*a, mnr::dims(pad, n), mode,
                     std::string(mode) == "constant" ? c10::optional<double>(value) : c10::nullopt))
}
