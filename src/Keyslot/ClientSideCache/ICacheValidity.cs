namespace Keyslot.ClientSideCache;

/// <summary>Says whether an entry may still be served; the store asks it while evicting, to drop dead entries first.</summary>
internal interface ICacheValidity
{
    bool IsValid(CacheEntry entry);
}
