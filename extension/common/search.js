// Binary search over sorted offsets, shared by the content script (node and
// chunk maps) and the background (block starts).

/**
 * Index of the last element of the sorted `arr` that is <= `x`, or -1.
 * @param {ArrayLike<number>} arr
 * @param {number} x
 */
export function lastAtOrBefore(arr, x) {
  let lo = 0;
  let hi = arr.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}
